using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using WeComExport.Api;
using WeComExport.Blocks;
using WeComExport.Export;
using WeComExport.Records;
using WeComExport.Snapshots;

namespace WeComExport.Tests.Snapshots
{
    /// <summary>
    /// A hand-made snapshot folder, as Export-WeComDirectory will write one: block files (each one complete JSON
    /// document as WeCom sent it) and a manifest written with <see cref="SnapshotManifest.WriteTo"/>. Deleted on dispose.
    /// </summary>
    internal sealed class HandMadeSnapshot : IDisposable
    {
        public const string CorpId = "wwsnapshotcorp0001";

        private readonly List<SnapshotExport> exports = new();

        public HandMadeSnapshot(string? path = null)
        {
            Path = path ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wecom-snapshot-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string this[string fileName] => System.IO.Path.Combine(Path, fileName);

        /// <summary>Writes the blocks of one export (file name → JSON) and remembers them for the manifest.</summary>
        public HandMadeSnapshot Export(ExportKind kind, long? tagId = null, string? tagName = null, params (string Name, string Json)[] blocks)
        {
            var files = blocks.Select(b => Write(kind, tagId, b.Name, b.Json)).ToList();
            exports.Add(new SnapshotExport(kind, "job" + exports.Count, tagId, tagName, files.Count, files.Sum(f => f.Records), files));
            return this;
        }

        /// <summary>Writes (or rewrites) manifest.json for the exports so far.</summary>
        public HandMadeSnapshot WriteManifest(string corpId = CorpId, IReadOnlyList<SnapshotFile>? csv = null, IReadOnlyList<SnapshotExport>? exportsInstead = null)
        {
            var manifest = new SnapshotManifest(corpId, "0.1.0", DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow, exportsInstead ?? exports, csv);
            using var stream = File.Create(this[SnapshotManifest.FileName]);
            manifest.WriteTo(stream);
            return this;
        }

        /// <summary>Reads everything back; the problems (path, ErrorId) are collected instead of thrown.</summary>
        public (List<WeComRecord> Records, List<(string Path, WeComException Error)> Problems) ReadAll(WeComRecordKind? kind = null, string? path = null)
        {
            var problems = new List<(string, WeComException)>();
            var records = new SnapshotReader(kind).Read(path ?? Path, (p, e) => problems.Add((p, e)), CancellationToken.None).ToList();
            return (records, problems);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder: left for the system to clean.
            }
        }

        /// <summary>A block file's manifest entry: bytes, SHA-256 and the records the module reads from it.</summary>
        public static SnapshotFile Describe(string path, ExportKind kind, long? tagId = null)
        {
            byte[] bytes = File.ReadAllBytes(path);
            using var stream = new MemoryStream(bytes);
            long records = ExportRecordReader.Read(stream, kind, tagId, CancellationToken.None).LongCount();
            return new SnapshotFile(System.IO.Path.GetFileName(path), bytes.Length, Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant(), records);
        }

        private SnapshotFile Write(ExportKind kind, long? tagId, string name, string json)
        {
            string path = this[name];
            File.WriteAllText(path, json, new UTF8Encoding(false));
            return Describe(path, kind, tagId);
        }
    }

    /// <summary>Block JSON as WeCom sends it, built from a few fields per record.</summary>
    internal static class BlockJson
    {
        public static string Users(params string[] users) => "{\"userlist\":[" + string.Join(",", users) + "]}";

        public static string User(string userId, string name = "名字", string department = "[1]", string position = "工程师", string extra = "") =>
            $"{{\"userid\":\"{userId}\",\"name\":\"{name}\",\"department\":{department},\"order\":[0],\"position\":\"{position}\",\"status\":1{extra}}}";

        public static string Departments(params string[] departments) => "{\"department\":[" + string.Join(",", departments) + "]}";

        public static string Department(long id, string name, long parentId = 1) => $"{{\"id\":{id},\"name\":\"{name}\",\"parentid\":{parentId},\"order\":1}}";

        public static string TagMembers(string tagName, string[] userIds, long[] partyIds) =>
            $"{{\"tagname\":\"{tagName}\",\"userlist\":[" + string.Join(",", userIds.Select(u => $"{{\"userid\":\"{u}\",\"name\":\"{u}名\"}}")) + "],"
            + "\"partylist\":[" + string.Join(",", partyIds) + "]}";

        public static string TagMembersNameLast(string tagName, string[] userIds) =>
            "{\"userlist\":[" + string.Join(",", userIds.Select(u => $"{{\"userid\":\"{u}\",\"name\":\"{u}名\"}}")) + $"],\"tagname\":\"{tagName}\"}}";
    }
}

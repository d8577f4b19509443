using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Emulator;
using WeComExport.Security;
using WeComExport.Snapshots;
using Xunit;

namespace WeComExport.Tests.Snapshots
{
    /// <summary>
    /// An in-process emulator, an engine session to its first corp, and a work folder, for the snapshot tests.
    /// Hashes, ids and truth are computed here independently of the engine (platform SHA-256, JsonDocument).
    /// </summary>
    internal sealed class SnapshotTestBed : IAsyncDisposable
    {
        private SnapshotTestBed(EmulatorServer emulator, WeComSession session, string work)
        {
            Emulator = emulator;
            Session = session;
            Work = work;
            Control = new HttpClient { BaseAddress = emulator.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        }

        public EmulatorServer Emulator { get; }

        public WeComSession Session { get; }

        public HttpClient Control { get; }

        /// <summary>A fresh folder per test; the snapshot target is <see cref="Target"/> inside it.</summary>
        public string Work { get; }

        public string Target => Path.Combine(Work, "snap");

        public static async Task<SnapshotTestBed> StartAsync(int members, TimeSpan? jobDelay = null)
        {
            EmulatorServer emulator = await EmulatorServer.StartAsync(new EmulatorOptions { Members = members, JobDelay = jobDelay ?? TimeSpan.FromMilliseconds(20) });
            EmulatorCorp corp = emulator.Corps[0];
            WeComSession session = await WeComSession.ConnectAsync(corp.CorpId, SecureText.From(corp.Secret), emulator.BaseUri, CancellationToken.None);
            session.RetryPolicy.BaseDelay = TimeSpan.FromMilliseconds(10);
            string work = Path.Combine(Path.GetTempPath(), "wecom-snapshot-test-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(work);
            return new SnapshotTestBed(emulator, session, work);
        }

        public static SnapshotOptions Fast(Action<SnapshotOptions>? configure = null)
        {
            var options = new SnapshotOptions { PollInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(120) };
            configure?.Invoke(options);
            return options;
        }

        public Task<WeComDirectorySnapshot> SnapshotAsync(SnapshotOptions options, Action<SnapshotProgress>? progress = null, CancellationToken ct = default) =>
            SnapshotWriter.WriteAsync(Session, Target, options, progress, ct);

        public async Task<(int Count, string IdsSha256)> TruthAsync(string kind, long? tagId = null)
        {
            string query = $"/_emulator/truth?corpid={Session.CorpId}&kind={kind}" + (tagId is null ? string.Empty : $"&tagid={tagId}");
            using JsonDocument truth = JsonDocument.Parse(await Control.GetStringAsync(query));
            return (truth.RootElement.GetProperty("count").GetInt32(), truth.RootElement.GetProperty("idsSha256").GetString()!);
        }

        public async Task AddFaultAsync(string kind, int count, string path)
        {
            string body = JsonSerializer.Serialize(new { kind, count, path });
            using HttpResponseMessage response = await Control.PostAsync("/_emulator/faults", new StringContent(body, Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }

        public void AddFault(string kind, int count, string path) => AddFaultAsync(kind, count, path).GetAwaiter().GetResult();

        public async Task<int> RequestCountAsync()
        {
            using JsonDocument counts = JsonDocument.Parse(await Control.GetStringAsync("/_emulator/requests"));
            return counts.RootElement.GetProperty("total").GetInt32();
        }

        public async Task ResetRequestsAsync()
        {
            using HttpResponseMessage response = await Control.DeleteAsync("/_emulator/requests");
            response.EnsureSuccessStatusCode();
        }

        /// <summary>Every file and folder under <paramref name="folder"/>: relative path → SHA-256 of the file's bytes (or "dir"), and the Unix mode.</summary>
        public static SortedDictionary<string, string> Fingerprint(string folder)
        {
            var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (string entry in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(folder, entry);
                string mode = OperatingSystem.IsWindows() ? string.Empty : " " + File.GetUnixFileMode(entry);
                entries[relative] = (Directory.Exists(entry) ? "dir" : Sha256(entry)) + mode;
            }

            return entries;
        }

        public static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

        public static SnapshotManifest ReadManifest(string folder)
        {
            using FileStream stream = File.OpenRead(Path.Combine(folder, SnapshotManifest.FileName));
            return SnapshotManifest.ReadFrom(stream);
        }

        /// <summary>The ids a block file holds, as the emulator's truth names them, read with JsonDocument (not the engine's reader).</summary>
        public static IEnumerable<string> IdsIn(string file)
        {
            using JsonDocument block = JsonDocument.Parse(File.ReadAllBytes(file));
            JsonElement root = block.RootElement;
            var ids = new List<string>();
            if (root.TryGetProperty("department", out JsonElement departments))
            {
                ids.AddRange(departments.EnumerateArray().Select(d => d.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            else if (root.TryGetProperty("partylist", out JsonElement parties))
            {
                ids.AddRange(root.GetProperty("userlist").EnumerateArray().Select(u => "user:" + u.GetProperty("userid").GetString()));
                ids.AddRange(parties.EnumerateArray().Select(p => "party:" + p.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            else
            {
                ids.AddRange(root.GetProperty("userlist").EnumerateArray().Select(u => u.GetProperty("userid").GetString()!));
            }

            return ids;
        }

        public static string Digest(IEnumerable<string> ids)
        {
            string[] sorted = ids.ToArray();
            Array.Sort(sorted, StringComparer.Ordinal);
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", sorted))));
        }

        /// <summary>The id of a process that has ended, for names of ours left by a killed writer.</summary>
        public static int EndedProcessId()
        {
            using Process process = Process.Start(new ProcessStartInfo(OperatingSystem.IsWindows() ? "cmd.exe" : "/bin/sh", OperatingSystem.IsWindows() ? "/c exit 0" : "-c true"))!;
            process.WaitForExit();
            return process.Id;
        }

        public async ValueTask DisposeAsync()
        {
            Control.Dispose();
            Session.Dispose();
            await Emulator.DisposeAsync();
            if (Directory.Exists(Work))
            {
                Directory.Delete(Work, recursive: true);
            }
        }
    }
}

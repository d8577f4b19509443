using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using WeComExport.Export;
using WeComExport.Internal;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// <c>manifest.json</c> of a snapshot folder: which corp, when, by which module version, and for each
    /// export its job, its blocks and record count, and every data file with its SHA-256. It is what makes a
    /// snapshot self-describing (Import reads it) and checkable (a changed file no longer matches its hash).
    /// </summary>
    public sealed class SnapshotManifest
    {
        /// <summary>The file name of the manifest inside a snapshot folder.</summary>
        public const string FileName = "manifest.json";

        /// <summary>The value of the manifest's <c>format</c> field; a reader refuses others.</summary>
        public const string FormatName = "WeComExport.Snapshot/1";

        public SnapshotManifest(string corpId, string moduleVersion, DateTimeOffset startedAt, DateTimeOffset completedAt, IReadOnlyList<SnapshotExport> exports, IReadOnlyList<SnapshotFile>? csvFiles = null)
        {
            CorpId = corpId ?? throw new ArgumentNullException(nameof(corpId));
            ModuleVersion = moduleVersion ?? throw new ArgumentNullException(nameof(moduleVersion));
            StartedAt = startedAt;
            CompletedAt = completedAt;
            Exports = exports ?? throw new ArgumentNullException(nameof(exports));
            CsvFiles = csvFiles ?? System.Array.Empty<SnapshotFile>();
        }

        public string CorpId { get; }

        public string ModuleVersion { get; }

        public DateTimeOffset StartedAt { get; }

        public DateTimeOffset CompletedAt { get; }

        /// <summary>One entry per export job (members, departments, each tag).</summary>
        public IReadOnlyList<SnapshotExport> Exports { get; }

        /// <summary>The Excel-ready CSV files (one per kind), when the snapshot was written with them.</summary>
        public IReadOnlyList<SnapshotFile> CsvFiles { get; }

        /// <summary>Writes the manifest as indented UTF-8 JSON (no BOM).</summary>
        public void WriteTo(Stream stream)
        {
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            writer.WriteStartObject();
            writer.WriteString("format", FormatName);
            writer.WriteString("corpId", CorpId);
            writer.WriteString("moduleVersion", ModuleVersion);
            writer.WriteString("startedAt", StartedAt.ToString("o", CultureInfo.InvariantCulture));
            writer.WriteString("completedAt", CompletedAt.ToString("o", CultureInfo.InvariantCulture));
            writer.WriteStartArray("exports");
            foreach (SnapshotExport export in Exports)
            {
                writer.WriteStartObject();
                writer.WriteString("kind", export.Kind.ToString());
                writer.WriteString("jobId", export.JobId);
                if (export.TagId is not null)
                {
                    writer.WriteNumber("tagId", export.TagId.Value);
                }

                if (export.TagName is not null)
                {
                    writer.WriteString("tagName", export.TagName);
                }

                writer.WriteNumber("blockCount", export.BlockCount);
                writer.WriteNumber("recordCount", export.RecordCount);
                WriteFiles(writer, "files", export.Files);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteFiles(writer, "csv", CsvFiles);
            writer.WriteEndObject();
        }

        /// <summary>The largest manifest read: one lists a few files per export, so real ones are kilobytes.</summary>
        public const int MaxBytes = 16 << 20;

        /// <summary>
        /// Reads the manifest file at <paramref name="path"/> (which exists), never opening one of size 0 (a pipe would
        /// block the open). On failure, <c>Problem</c> says why, and <c>Unreadable</c> tells a file the file system would
        /// not give (<see cref="IOException"/>) from one whose content is no manifest (<see cref="InvalidDataException"/>).
        /// </summary>
        internal static (SnapshotManifest? Manifest, Exception? Problem, bool Unreadable) Load(string path)
        {
            try
            {
                if (ReadableFile.Refusal(path) is string refusal)
                {
                    return (null, new InvalidDataException($"{path} {refusal}, so it is no snapshot manifest ({FormatName})."), false);
                }

                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
                return (ReadFrom(stream), null, false);
            }
            catch (Exception e) when (e is InvalidDataException or JsonException or FormatException or InvalidOperationException or ArgumentException)
            {
                return (null, new InvalidDataException($"{path} is not a snapshot manifest ({FormatName}): {e.Message}", e), false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (null, new IOException($"{path} cannot be read: {e.Message}", e), true);
            }
        }

        /// <summary>The manifest.json of <paramref name="folder"/> as <see cref="Load"/> reads it; nothing at all (no manifest, no problem) when there is none.</summary>
        internal static (SnapshotManifest? Manifest, Exception? Problem, bool Unreadable) LoadIn(string folder)
        {
            string path = Path.Combine(folder, FileName);
            return File.Exists(path) ? Load(path) : (null, null, false);
        }

        /// <summary>Reads a manifest (at most <see cref="MaxBytes"/>); throws <see cref="InvalidDataException"/> naming what is wrong.</summary>
        public static SnapshotManifest ReadFrom(Stream stream)
        {
            if (stream is null)
            {
                throw new ArgumentNullException(nameof(stream));
            }

            // Read through a window that fails past the cap, so a huge or endless file never fills memory.
            var bounded = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (bounded.Length + read > MaxBytes)
                {
                    throw new InvalidDataException($"The manifest is larger than {MaxBytes} bytes; a snapshot's manifest is a few kilobytes.");
                }

                bounded.Write(buffer, 0, read);
            }

            bounded.Position = 0;
            using JsonDocument document = JsonDocument.Parse(bounded, new JsonDocumentOptions { MaxDepth = 16 });
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "format") != FormatName)
            {
                throw new InvalidDataException($"The manifest is not a {FormatName} manifest.");
            }

            var exports = new List<SnapshotExport>();
            foreach (JsonElement item in Array(root, "exports"))
            {
                ExpectObject(item, "exports");
                string kindText = Text(item, "kind");
                if (!Enum.TryParse(kindText, ignoreCase: false, out ExportKind kind) || !Enum.IsDefined(typeof(ExportKind), kind))
                {
                    throw new InvalidDataException($"The manifest names an unknown export kind '{kindText}'.");
                }

                exports.Add(new SnapshotExport(
                    kind,
                    Text(item, "jobId"),
                    OptionalNumber(item, "tagId"),
                    OptionalText(item, "tagName"),
                    Number(item, "blockCount"),
                    Number(item, "recordCount"),
                    Files(item, "files")));
            }

            List<SnapshotFile>? csv = root.TryGetProperty("csv", out _) ? Files(root, "csv") : null;
            CheckConsistent(exports, csv);
            return new SnapshotManifest(
                Text(root, "corpId"),
                Text(root, "moduleVersion"),
                DateTimeOffset.Parse(Text(root, "startedAt"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                DateTimeOffset.Parse(Text(root, "completedAt"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                exports,
                csv);
        }

        /// <summary>
        /// A manifest whose counts disagree with each other, or that lists a file twice, was edited by hand: reading
        /// it would give a short or doubled result that the files' hashes cannot reveal.
        /// </summary>
        private static void CheckConsistent(List<SnapshotExport> exports, List<SnapshotFile>? csv)
        {
            CheckShape(exports);
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (SnapshotFile file in exports.SelectMany(e => e.Files).Concat(csv ?? Enumerable.Empty<SnapshotFile>()))
            {
                if (!names.Add(file.Name))
                {
                    throw new InvalidDataException($"The manifest lists the file {file.Name} twice.");
                }
            }

            foreach (SnapshotExport export in exports.Where(e => e.Files.Count > 0))
            {
                // Two blocks of one export never hold the same records: a copy listed as another block would double them.
                // (Blocks without records may well be alike, and doubling them doubles nothing.)
                var hashes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (SnapshotFile file in export.Files.Where(f => f.Records > 0))
                {
                    if (!hashes.Add(file.Sha256.Trim()))
                    {
                        throw new InvalidDataException($"The manifest's {export.Kind} export lists two files with the same SHA-256 ({file.Name} and another): one block listed twice.");
                    }
                }

                long listed = 0;
                foreach (SnapshotFile file in export.Files)
                {
                    listed = file.Records > long.MaxValue - listed
                        ? throw new InvalidDataException($"The manifest's {export.Kind} export lists more records than can be counted.")
                        : listed + file.Records;
                }

                if (export.Files.Count != export.BlockCount || listed != export.RecordCount)
                {
                    throw new InvalidDataException(string.Format(
                        CultureInfo.InvariantCulture,
                        "The manifest's {0} export (job {1}) says {2} blocks and {3} records, but its files list {4} blocks and {5} records.",
                        export.Kind,
                        export.JobId,
                        export.BlockCount,
                        export.RecordCount,
                        export.Files.Count,
                        listed));
                }
            }
        }

        /// <summary>
        /// The shape readers rely on: at least one export, at most one member and one department export (Export-WeComDirectory
        /// writes one of each), each tag once and with its id, every file named after its export. Any other shape was
        /// edited by hand (every export dropped, one doubled, or given another tag's id) and would read as an empty,
        /// doubled or mislabelled directory.
        /// </summary>
        private static void CheckShape(List<SnapshotExport> exports)
        {
            int members = exports.Count(e => e.Kind is ExportKind.User or ExportKind.SimpleUser);
            int departments = exports.Count(e => e.Kind == ExportKind.Department);
            if (exports.Count == 0 || members > 1 || departments > 1)
            {
                throw new InvalidDataException(exports.Count == 0
                    ? "The manifest lists no export."
                    : string.Format(
                        CultureInfo.InvariantCulture,
                        "The manifest lists {0} member export(s) and {1} department export(s); a snapshot has one of each.",
                        members,
                        departments));
            }

            var tags = new HashSet<long>();
            foreach (SnapshotExport export in exports)
            {
                if (export.Kind == ExportKind.TagUser && (export.TagId is not long tag || !tags.Add(tag)))
                {
                    throw new InvalidDataException(export.TagId is long twice
                        ? $"The manifest lists tag {twice}'s export twice."
                        : $"The manifest's TagUser export (job {export.JobId}) has no tagId.");
                }

                string prefix = SnapshotWriter.NameOf(export.Kind, export.TagId) + ".block";
                foreach (SnapshotFile file in export.Files)
                {
                    if (!file.Name.StartsWith(prefix, StringComparison.Ordinal) || !file.Name.EndsWith(".json", StringComparison.Ordinal))
                    {
                        throw new InvalidDataException($"The manifest lists the file {file.Name} under its {export.Kind} export{(export.TagId is long t ? $" of tag {t}" : string.Empty)}, whose files are named {prefix}NNNN.json.");
                    }
                }
            }
        }

        private static void WriteFiles(Utf8JsonWriter writer, string name, IReadOnlyList<SnapshotFile> files)
        {
            writer.WriteStartArray(name);
            foreach (SnapshotFile file in files)
            {
                writer.WriteStartObject();
                writer.WriteString("name", file.Name);
                writer.WriteNumber("bytes", file.Bytes);
                writer.WriteString("sha256", file.Sha256);
                writer.WriteNumber("records", file.Records);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        private static List<SnapshotFile> Files(JsonElement parent, string name)
        {
            var files = new List<SnapshotFile>();
            foreach (JsonElement item in Array(parent, name))
            {
                ExpectObject(item, name);
                files.Add(new SnapshotFile(Text(item, "name"), Number(item, "bytes"), Text(item, "sha256"), Number(item, "records")));
            }

            return files;
        }

        // An optional field is absent or null, or of its type: anything else was edited by hand.
        private static long? OptionalNumber(JsonElement parent, string name) =>
            !parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null ? null
            : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number) ? number
            : throw new InvalidDataException($"The manifest's '{name}' is not a whole number.");

        private static string? OptionalText(JsonElement parent, string name) =>
            !parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null ? null
            : value.ValueKind == JsonValueKind.String ? value.GetString()
            : throw new InvalidDataException($"The manifest's '{name}' is not text.");

        private static void ExpectObject(JsonElement item, string list)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"The manifest's '{list}' list holds {item.ValueKind.ToString().ToLowerInvariant()} where an entry (an object) belongs.");
            }
        }

        private static JsonElement.ArrayEnumerator Array(JsonElement parent, string name) =>
            parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Array
                ? value.EnumerateArray()
                : throw new InvalidDataException($"The manifest has no '{name}' list.");

        private static string Text(JsonElement parent, string name) =>
            parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : throw new InvalidDataException($"The manifest has no text '{name}'.");

        private static long Number(JsonElement parent, string name) =>
            parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number) && number >= 0
                ? number
                : throw new InvalidDataException($"The manifest has no whole number '{name}'.");
    }

    /// <summary>One export of a snapshot: its kind and job, and the block files it was written to.</summary>
    public sealed class SnapshotExport
    {
        public SnapshotExport(ExportKind kind, string jobId, long? tagId, string? tagName, long blockCount, long recordCount, IReadOnlyList<SnapshotFile> files)
        {
            Kind = kind;
            JobId = jobId;
            TagId = tagId;
            TagName = tagName;
            BlockCount = blockCount;
            RecordCount = recordCount;
            Files = files;
        }

        public ExportKind Kind { get; }

        public string JobId { get; }

        public long? TagId { get; }

        public string? TagName { get; }

        public long BlockCount { get; }

        public long RecordCount { get; }

        /// <summary>The decrypted blocks, in block order, as WeCom sent them.</summary>
        public IReadOnlyList<SnapshotFile> Files { get; }
    }

    /// <summary>A data file of a snapshot: its name inside the folder, size, SHA-256 (lower-case hex) and the records it holds.</summary>
    public sealed class SnapshotFile
    {
        public SnapshotFile(string name, long bytes, string sha256, long records)
        {
            // A manifest names files inside its own folder only: no path, no way out of the folder.
            if (string.IsNullOrEmpty(name) || name != Path.GetFileName(name) || name is "." or ".." || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.IndexOf('/') >= 0 || name.IndexOf('\\') >= 0)
            {
                throw new InvalidDataException("The manifest names a data file outside its folder.");
            }

            Name = name;
            Bytes = bytes;
            Sha256 = sha256 ?? throw new ArgumentNullException(nameof(sha256));
            Records = records;
        }

        public string Name { get; }

        public long Bytes { get; }

        public string Sha256 { get; }

        public long Records { get; }

        public override string ToString() => Name;
    }
}

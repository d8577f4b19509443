using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using WeComExport.Api;
using WeComExport.Blocks;
using WeComExport.Diagnostics;
using WeComExport.Export;
using WeComExport.Internal;
using WeComExport.Records;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// Reads snapshot folders and block files back as records, offline, one record at a time (memory is bounded
    /// by the largest record, as when receiving).
    /// <list type="bullet">
    /// <item>A folder with a <c>manifest.json</c> is a snapshot: every block file it lists is read (in manifest
    /// order), each first checked against the manifest's size and SHA-256 (the whole file, through the handle it is
    /// then read from) so that no record of a changed file is ever returned. Records carry the manifest's CorpId,
    /// tag members its tag id (and tag name, until the block's own).</item>
    /// <item>A block file (<c>simple_user.block0000.json</c>, <c>&lt;jobid&gt;.block0000.json</c>, ...) listed by a
    /// <c>manifest.json</c> beside it is read the same way. One no manifest lists is read as it is: its kind comes
    /// from its name (simple_user, user, department, taguser-&lt;tagid&gt;) or else from its first list, and its
    /// records carry no CorpId.</item>
    /// <item>A folder without a manifest: its block files (<c>*.blockNNNN.json</c>), unverified.</item>
    /// </list>
    /// A problem with one file (changed, missing, not a block, unreadable) is handed to the caller's callback as a
    /// <see cref="WeComException"/> naming the file, and reading goes on with the next file. Keeps each folder's
    /// manifest once read, so use one reader per command.
    /// </summary>
    public sealed class SnapshotReader
    {
        private const int HashBufferSize = 81920;

        private static readonly Regex BlockFileName = new(@"^(?<prefix>.+)\.block(?<index>[0-9]{1,9})\.json$", RegexOptions.CultureInvariant);
        private static readonly Regex KindPrefix = new(@"^(?:(?<simple>simple_user)|(?<user>user)|(?<department>department)|taguser-(?<tag>[0-9]{1,18}))$", RegexOptions.CultureInvariant);

        private readonly WeComRecordKind? kind;
        private readonly Dictionary<string, FolderManifest> manifests = new(StringComparer.Ordinal);

        // Loose block files read so far by kind (and tag): the export (file-name prefix) they came from.
        private readonly Dictionary<(WeComRecordKind Kind, long? TagId), string> looseExports = new();
        private readonly HashSet<(WeComRecordKind Kind, long? TagId)> doubledExports = new();

        // Folders already looked over for what they show: a reference that Compare reads twice is listed and warned about once.
        private readonly HashSet<string> checkedFolders = new(StringComparer.Ordinal);

        // Loose block files already checked against the others (Compare reads its reference twice: once is enough).
        private readonly HashSet<string> checkedLooseFiles = new(StringComparer.Ordinal);

        /// <summary>The loose block files read so far, by size (<see cref="WarnIfSameBytesAsEarlier"/>).</summary>
        private readonly Dictionary<long, List<LooseFile>> looseBySize = new();

        // With eachFileOnce, the files read so far (links resolved): a file named twice (a folder and a file in it,
        // overlapping wildcards, the same folder twice, a link to it) is read once. Null for Compare, which reads a side
        // more than once on purpose.
        private readonly HashSet<string>? filesRead;

        /// <summary>
        /// A reader of every record kind, or only of <paramref name="kind"/> (files of other kinds are then skipped unread
        /// and unhashed). With <paramref name="eachFileOnce"/> a file is read at most once, however often it is named
        /// (a warning says so): Import's rule, as its output would otherwise hold the file's records twice.
        /// </summary>
        public SnapshotReader(WeComRecordKind? kind = null, bool eachFileOnce = false)
        {
            this.kind = kind;
            filesRead = eachFileOnce ? new HashSet<string>(SnapshotFolder.PathComparer) : null;
        }

        /// <summary>
        /// The records of one snapshot folder, folder of block files, or block file (a full path), lazily, in file
        /// order. <paramref name="failed"/> gets each problem with the path it concerns; the remaining files are
        /// still read. Enumerate the result once.
        /// </summary>
        public IEnumerable<WeComRecord> Read(string path, Action<string, WeComException> failed, CancellationToken cancellationToken) =>
            Read(path, failed, null, cancellationToken);

        /// <summary>
        /// As the overload without <paramref name="opened"/>, which is told the record kind (and for tag members the tag
        /// id the records get) of every export a snapshot's manifest lists and of each file as it is opened to be read,
        /// an empty one too: what the path holds even when no record of it comes.
        /// </summary>
        public IEnumerable<WeComRecord> Read(string path, Action<string, WeComException> failed, Action<WeComRecordKind, long?>? opened, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ArgumentException("The path is empty.", nameof(path));
            }

            if (failed is null)
            {
                throw new ArgumentNullException(nameof(failed));
            }

            return ReadPath(Path.GetFullPath(path), failed, opened, cancellationToken);
        }

        /// <summary>How many records the manifest of snapshot folder <paramref name="path"/> lists (of the kind read); 0 when it is not a readable snapshot folder.</summary>
        public long ListedRecordCount(string path)
        {
            try
            {
                string full = Path.GetFullPath(path);
                SnapshotManifest? manifest = Directory.Exists(full) ? ManifestOf(full) : null;
                return manifest?.Exports.Where(e => Selected(e.Kind)).Sum(e => e.RecordCount) ?? 0;
            }
            catch (Exception e) when (e is WeComException or IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                // Only a size hint: Read reports the problem.
                return 0;
            }
        }

        private IEnumerable<WeComRecord> ReadPath(string path, Action<string, WeComException> failed, Action<WeComRecordKind, long?>? opened, CancellationToken ct)
        {
            List<DataFile>? files = null;
            try
            {
                files = Plan(path);
            }
            catch (WeComException e)
            {
                failed(path, e);
            }

            if (opened is not null && files is not null && Directory.Exists(path) && ManifestOf(path) is { } manifest)
            {
                // An export listed with no file (no block at all) is held too.
                foreach (SnapshotExport export in manifest.Exports.Where(e => Selected(e.Kind)))
                {
                    WeComRecordKind recordKind = RecordKinds.Of(export.Kind);
                    opened(recordKind, RecordKinds.TagIdOf(recordKind, export.TagId));
                }
            }

            foreach (DataFile file in files ?? Enumerable.Empty<DataFile>())
            {
                ct.ThrowIfCancellationRequested();
                string? identity = filesRead is null ? null : RealPath.Of(file.Path);
                if (identity is not null && filesRead!.Contains(identity))
                {
                    WeComLog.Warning($"{file.Path} was read already by this command: its records are not written twice.");
                    continue;
                }

                foreach (WeComRecord record in ReadFile(file, identity, failed, opened, ct))
                {
                    yield return record;
                }
            }
        }

        /// <summary>The data files a path stands for, with what is known of each; throws <see cref="WeComException"/>.</summary>
        private List<DataFile> Plan(string path) => Guard(path, () =>
        {
            if (Directory.Exists(path))
            {
                return PlanFolder(path);
            }

            if (File.Exists(path))
            {
                return PlanFile(path);
            }

            throw new WeComException(WeComErrors.PathNotFound, $"{path} does not exist.");
        });

        private List<DataFile> PlanFolder(string folder)
        {
            SnapshotManifest? manifest = ManifestOf(folder);
            if (manifest is not null)
            {
                return PlanSnapshot(folder, manifest);
            }

            var blocks = Directory.EnumerateFiles(folder)
                .Select(f => (Path: f, Match: BlockFileName.Match(Path.GetFileName(f))))
                .Where(f => f.Match.Success)
                .OrderBy(f => f.Match.Groups["prefix"].Value, StringComparer.Ordinal)
                .ThenBy(f => long.Parse(f.Match.Groups["index"].Value, CultureInfo.InvariantCulture))
                .Select(f => Loose(f.Path))
                .ToList();
            if (blocks.Count == 0)
            {
                throw new WeComException(WeComErrors.PathNotFound, $"{folder} holds neither a snapshot manifest ({SnapshotManifest.FileName}) nor block files (*.blockNNNN.json).");
            }

            WeComLog.Verbose(string.Format(CultureInfo.InvariantCulture, "{0} has no {1}: its {2} block files are read without verification, and their records carry no CorpId.", folder, SnapshotManifest.FileName, blocks.Count));
            if (checkedFolders.Add(folder))
            {
                WarnIfIncomplete(folder, blocks);
            }

            return blocks.Where(f => f.Kind is null || Selected(f.Kind.Value)).ToList();
        }

        /// <summary>
        /// Nothing vouches for a folder of block files, so what can be seen is said: a write into it that did not finish,
        /// or a block missing from one export's numbering. Either means fewer records than the export held.
        /// </summary>
        private static void WarnIfIncomplete(string folder, List<DataFile> blocks)
        {
            if (SnapshotFolder.StagingFor(folder) is string snapshot)
            {
                WeComLog.Warning($"{folder} is where Export-WeComDirectory writes a snapshot before it is complete, left by an export that was stopped (or still running): it may hold only part of the directory. Read the snapshot at '{snapshot}', or export again.");
            }

            IReadOnlyList<string> unfinished = OutputFolder.TempFilesIn(folder);
            if (unfinished.Count > 0)
            {
                WeComLog.Warning(string.Format(CultureInfo.InvariantCulture, "{0} holds {1} unfinished file(s) of a write that was stopped or is still running ({2}): its block files may be fewer than the export's. Receive the export into it again.", folder, unfinished.Count, FewNames(unfinished.Select(f => Path.GetFileName(f)).ToList())));
            }

            foreach (IGrouping<string, long> export in blocks.Select(f => BlockFileName.Match(Path.GetFileName(f.Path))).GroupBy(m => m.Groups["prefix"].Value, m => long.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture)))
            {
                long[] indexes = export.OrderBy(i => i).ToArray();
                long missing = -1;
                for (int i = 0; i < indexes.Length && missing < 0; i++)
                {
                    missing = indexes[i] != i ? i : -1;
                }

                if (missing >= 0)
                {
                    WeComLog.Warning(string.Format(CultureInfo.InvariantCulture, "{0}: the block files of {1} skip block {2} ({3} files, numbered up to {4}), so that block's records are not read.", folder, export.Key, missing, indexes.Length, indexes[indexes.Length - 1]));
                }
            }
        }

        /// <summary>
        /// Two loose block files of the same bytes (one block saved twice, a copy), in a folder or named one by one in this
        /// command, give their records twice: said, with both names, before the second is read. Only files of a size read
        /// before are hashed, so distinct blocks cost nothing more.
        /// </summary>
        private void WarnIfSameBytesAsEarlier(string path, FileStream stream)
        {
            long length = stream.Length;
            if (!looseBySize.TryGetValue(length, out List<LooseFile>? earlier))
            {
                looseBySize.Add(length, new List<LooseFile> { new(path) });
                return;
            }

            // The file about to be read is hashed through its own handle, then read from its start (a read error here is
            // left to that read to report).
            var file = new LooseFile(path);
            try
            {
                file.Sha256 = Sha256Of(stream);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }

            stream.Position = 0;
            foreach (LooseFile other in earlier)
            {
                other.Sha256 ??= Sha256Of(other.Path);
                if (file.Sha256 is not null && string.Equals(file.Sha256, other.Sha256, StringComparison.Ordinal))
                {
                    WeComLog.Warning($"{path} holds the same bytes as {other.Path} (one block saved twice?): both are read, so their records come twice.");
                    break;
                }
            }

            earlier.Add(file);
        }

        /// <summary>The SHA-256 of what is left of <paramref name="stream"/> (it is read to its end).</summary>
        private static string Sha256Of(Stream stream)
        {
            using var hashing = new Sha256PassThrough(stream);
            hashing.Drain();
            return hashing.Sha256Hex();
        }

        /// <summary>The file's SHA-256, or null when it cannot be read now (its read reports the problem later).</summary>
        private static string? Sha256Of(string path)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, HashBufferSize);
                return Sha256Of(stream);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>The first few names, and how many more: a folder of a million stray files gives one short line.</summary>
        private static string FewNames(List<string> names)
        {
            const int Shown = 5;
            string shown = string.Join(", ", names.Take(Shown));
            return names.Count <= Shown ? shown : string.Format(CultureInfo.InvariantCulture, "{0} and {1:N0} more", shown, names.Count - Shown);
        }

        private List<DataFile> PlanSnapshot(string folder, SnapshotManifest manifest)
        {
            // Only where blocks came but none was kept: a JSON and CSV snapshot of exports WeCom answered with no
            // block at all (an empty tag, an empty corp) holds no block file either, and reads as its 0 records.
            if (manifest.CsvFiles.Count > 0 && manifest.Exports.All(e => e.Files.Count == 0) && manifest.Exports.Any(e => e.BlockCount > 0 || e.RecordCount > 0))
            {
                throw new WeComException(
                    WeComErrors.SnapshotJsonRequired,
                    $"The snapshot in {folder} holds CSV files only ({string.Join(", ", manifest.CsvFiles.Select(f => f.Name))}): its records can be read back from JSON block files only.");
            }

            var files = new List<DataFile>();
            foreach (SnapshotExport export in manifest.Exports.Where(e => Selected(e.Kind)))
            {
                if (export.Files.Count == 0 && export.RecordCount > 0)
                {
                    throw new WeComException(
                        manifest.CsvFiles.Count > 0 ? WeComErrors.SnapshotJsonRequired : WeComErrors.InvalidSnapshotManifest,
                        string.Format(CultureInfo.InvariantCulture, "The {0} export (job {1}) of the snapshot in {2} has {3} records in its manifest but no block file.", export.Kind, export.JobId, folder, export.RecordCount));
                }

                files.AddRange(export.Files.Select(f => Listed(folder, manifest, export, f)));
            }

            if (!checkedFolders.Add(folder))
            {
                return files;
            }

            var listed = new HashSet<string>(manifest.Exports.SelectMany(e => e.Files).Select(f => f.Name), StringComparer.Ordinal);
            List<string> unlisted = Directory.EnumerateFiles(folder).Select(Path.GetFileName).Where(n => BlockFileName.IsMatch(n) && !listed.Contains(n)).ToList();
            if (unlisted.Count > 0)
            {
                WeComLog.Warning(string.Format(CultureInfo.InvariantCulture, "The snapshot in {0} holds block files its {1} does not list ({2}): they are not part of the snapshot and are not read.", folder, SnapshotManifest.FileName, FewNames(unlisted)));
            }

            return files;
        }

        private List<DataFile> PlanFile(string path)
        {
            string name = Path.GetFileName(path);
            if (string.Equals(name, SnapshotManifest.FileName, StringComparison.OrdinalIgnoreCase))
            {
                WeComLog.Verbose($"{path} is a snapshot manifest, not data: it is used to check the files it lists (give its folder to read them all).");
                return new List<DataFile>();
            }

            string folder = Path.GetDirectoryName(path)!;
            SnapshotManifest? manifest = ManifestOf(folder);
            foreach (SnapshotExport export in manifest?.Exports ?? Enumerable.Empty<SnapshotExport>())
            {
                SnapshotFile? listed = export.Files.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
                if (listed is not null)
                {
                    return Selected(export.Kind) ? new List<DataFile> { Listed(folder, manifest!, export, listed) } : new List<DataFile>();
                }
            }

            if (manifest is not null)
            {
                WeComLog.Verbose($"{path} is not listed in the {SnapshotManifest.FileName} beside it: it is read without verification, and its records carry no CorpId.");
            }

            DataFile loose = Loose(path);
            return loose.Kind is null || Selected(loose.Kind.Value) ? new List<DataFile> { loose } : new List<DataFile>();
        }

        private static DataFile Listed(string folder, SnapshotManifest manifest, SnapshotExport export, SnapshotFile file) =>
            new(Path.Combine(folder, file.Name), export.Kind, export.TagId, export.TagName, manifest.CorpId, file);

        /// <summary>A file no manifest lists: its kind (and a tag's id) from its name when the name says, else from its content later.</summary>
        private static DataFile Loose(string path)
        {
            Match block = BlockFileName.Match(Path.GetFileName(path));
            Match prefix = block.Success ? KindPrefix.Match(block.Groups["prefix"].Value) : Match.Empty;
            ExportKind? kind = !prefix.Success ? null
                : prefix.Groups["simple"].Success ? ExportKind.SimpleUser
                : prefix.Groups["user"].Success ? ExportKind.User
                : prefix.Groups["department"].Success ? ExportKind.Department
                : ExportKind.TagUser;
            long? tagId = prefix.Success && prefix.Groups["tag"].Success ? long.Parse(prefix.Groups["tag"].Value, CultureInfo.InvariantCulture) : null;
            return new DataFile(path, kind, tagId, null, null, null);
        }

        /// <summary>The manifest in <paramref name="folder"/>, read once per reader; null when there is none.</summary>
        private SnapshotManifest? ManifestOf(string folder)
        {
            if (!manifests.TryGetValue(folder, out FolderManifest? entry))
            {
                entry = LoadManifest(folder);
                manifests[folder] = entry;
            }

            return entry.Problem is null
                ? entry.Manifest
                : throw new WeComException(entry.Unreadable ? WeComErrors.ReadFailed : WeComErrors.InvalidSnapshotManifest, entry.Problem.Message, entry.Problem);
        }

        private static FolderManifest LoadManifest(string folder)
        {
            string path = Path.Combine(folder, SnapshotManifest.FileName);
            if (Directory.Exists(path))
            {
                // Not "no manifest": the folder would read as loose, unverified blocks.
                return new FolderManifest(null, new InvalidDataException($"{path} is a folder, not a snapshot manifest ({SnapshotManifest.FormatName})."));
            }

            (SnapshotManifest? manifest, Exception? problem, bool unreadable) = SnapshotManifest.LoadIn(folder);
            return new FolderManifest(manifest, problem, unreadable);
        }

        private IEnumerable<WeComRecord> ReadFile(DataFile file, string? identity, Action<string, WeComException> failed, Action<WeComRecordKind, long?>? opened, CancellationToken ct)
        {
            FileStream? stream = Prepare(file, failed, ct, out ExportKind kind);
            if (stream is null)
            {
                yield break;
            }

            // Only a file whose records are read counts as read: one skipped (another kind) or failed is not.
            if (identity is not null)
            {
                filesRead!.Add(identity);
            }

            WeComRecordKind recordKind = RecordKinds.Of(kind);
            long? tagId = RecordKinds.TagIdOf(recordKind, file.TagId);
            opened?.Invoke(recordKind, tagId);
            if (file.Listed is null && checkedLooseFiles.Add(file.Path))
            {
                WarnIfSecondExport(file, recordKind, tagId);
                WarnIfSameBytesAsEarlier(file.Path, stream);
            }

            using (stream)
            {
                using IEnumerator<WeComRecord> records = ExportRecordReader.Read(stream, kind, file.TagId, file.TagName, ct).GetEnumerator();
                long count = 0;
                while (true)
                {
                    WeComRecord? record = Next(records, file, failed, out bool broken);
                    if (record is null)
                    {
                        // The hash proves the bytes, not the manifest's own count: a file whose count disagrees is not silently short.
                        if (!broken && file.Listed is not null && count != file.Listed.Records)
                        {
                            failed(file.Path, new WeComException(
                                WeComErrors.InvalidSnapshotManifest,
                                string.Format(CultureInfo.InvariantCulture, "{0} holds {1:N0} records, but the snapshot's {2} says {3:N0}: the manifest was changed after the snapshot was taken.", file.Path, count, SnapshotManifest.FileName, file.Listed.Records)));
                        }

                        yield break;
                    }

                    count++;
                    record.CorpId = file.CorpId;
                    yield return record;
                }
            }
        }

        /// <summary>Loose files of two exports of one kind (two receives into one folder) give each record twice: said once per kind.</summary>
        private void WarnIfSecondExport(DataFile file, WeComRecordKind recordKind, long? tagId)
        {
            Match block = BlockFileName.Match(Path.GetFileName(file.Path));
            string export = Path.Combine(Path.GetDirectoryName(file.Path)!, block.Success ? block.Groups["prefix"].Value : Path.GetFileName(file.Path));
            if (!looseExports.TryGetValue((recordKind, tagId), out string? first))
            {
                looseExports.Add((recordKind, tagId), export);
            }
            else if (!string.Equals(first, export, StringComparison.Ordinal) && doubledExports.Add((recordKind, tagId)))
            {
                WeComLog.Warning($"{file.Path} is of another export of {recordKind} records{(tagId is long tag ? $" of tag {tag}" : string.Empty)} than {first}.*: both are read, so records they share come twice.");
            }
        }

        /// <summary>Opens the file, checks it against its manifest entry and tells its kind; null (the problem reported) when it is not to be read.</summary>
        private FileStream? Prepare(DataFile file, Action<string, WeComException> failed, CancellationToken ct, out ExportKind kind)
        {
            kind = default;
            FileStream? stream = null;
            try
            {
                stream = Open(file);
                if (file.Listed is not null)
                {
                    Verify(stream, file, file.Listed, ct);
                }

                ExportKind known = file.Kind ?? Sniff(stream, file.Path);
                if (!Selected(known))
                {
                    stream.Dispose();
                    return null;
                }

                kind = known;
                WeComLog.Verbose(file.Listed is not null
                    ? $"Reading {file.Path} ({known}): size and SHA-256 as the snapshot's manifest lists them."
                    : $"Reading {file.Path} ({known}), not verified: no manifest lists it.");
                return stream;
            }
            catch (WeComException e)
            {
                stream?.Dispose();
                failed(file.Path, e);
                return null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stream?.Dispose();
                failed(file.Path, ReadFailed(file.Path, e));
                return null;
            }
        }

        /// <summary>The file's next record; null at its end, or when it failed (<paramref name="broken"/>, the problem reported).</summary>
        private static WeComRecord? Next(IEnumerator<WeComRecord> records, DataFile file, Action<string, WeComException> failed, out bool broken)
        {
            broken = true;
            try
            {
                WeComRecord? next = records.MoveNext() ? records.Current : null;
                broken = false;
                return next;
            }
            catch (ExportFormatException e)
            {
                failed(file.Path, new WeComException(WeComErrors.InvalidBlockFile, $"{file.Path}: {e.Message}", e));
                return null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failed(file.Path, ReadFailed(file.Path, e));
                return null;
            }
        }

        private static FileStream Open(DataFile file)
        {
            if (Directory.Exists(file.Path))
            {
                throw new WeComException(WeComErrors.InvalidBlockFile, $"{file.Path} is a folder, not a block file.");
            }

            if (File.Exists(file.Path) && ReadableFile.Refusal(file.Path) is string refusal)
            {
                // Never opened: a named pipe would block the open for ever.
                throw file.Listed is { Bytes: > 0 } listed
                    ? Changed(file, string.Format(CultureInfo.InvariantCulture, "{0}, but the snapshot's manifest says {1:N0} bytes", refusal, listed.Bytes))
                    : new WeComException(WeComErrors.InvalidBlockFile, $"{file.Path} {refusal}: a block file holds a JSON document.");
            }

            try
            {
                // One handle for the hash and the read, so the bytes read are the bytes hashed; other writers are refused where the OS enforces it.
                return new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw file.Listed is not null
                    ? new WeComException(WeComErrors.SnapshotFileMissing, $"{file.Path} is missing: the snapshot's {SnapshotManifest.FileName} lists it.", e)
                    : new WeComException(WeComErrors.PathNotFound, $"{file.Path} does not exist.", e);
            }
        }

        /// <summary>Size, then SHA-256 of the whole file, against the manifest; leaves the stream at its start.</summary>
        private static void Verify(FileStream stream, DataFile file, SnapshotFile listed, CancellationToken ct)
        {
            long length = stream.Length;
            if (length != listed.Bytes)
            {
                throw Changed(file, string.Format(CultureInfo.InvariantCulture, "is {0:N0} bytes, but the snapshot's manifest says {1:N0}", length, listed.Bytes));
            }

            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[HashBufferSize];
            long total = 0;
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                ct.ThrowIfCancellationRequested();
                sha256.AppendData(buffer, 0, read);
                total += read;
            }

            string actual = BlockIntegrity.ToHex(sha256.GetHashAndReset());
            if (total != listed.Bytes)
            {
                throw Changed(file, "changed while it was checked");
            }

            if (!string.Equals(actual, listed.Sha256.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                throw Changed(file, $"has SHA-256 {actual}, but the snapshot's manifest says {listed.Sha256}");
            }

            stream.Position = 0;
        }

        private static ExportKind Sniff(FileStream stream, string path)
        {
            try
            {
                return ExportKindSniffer.Detect(stream);
            }
            catch (ExportFormatException e)
            {
                throw new WeComException(WeComErrors.InvalidBlockFile, $"{path}: {e.Message}", e);
            }
            finally
            {
                stream.Position = 0;
            }
        }

        private static WeComException Changed(DataFile file, string how) =>
            new(WeComErrors.SnapshotFileChanged, $"{file.Path} {how}: it changed after the snapshot was taken, so none of its records are read.");

        private static WeComException ReadFailed(string path, Exception e) =>
            new(WeComErrors.ReadFailed, $"{path} cannot be read: {e.Message}", e);

        /// <summary>Runs a planning step, turning a file-system failure into <see cref="WeComErrors.ReadFailed"/>.</summary>
        private static T Guard<T>(string path, Func<T> step)
        {
            try
            {
                return step();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw ReadFailed(path, e);
            }
        }

        private bool Selected(ExportKind exportKind) => kind is null || RecordKinds.Of(exportKind) == kind;

        /// <summary>A loose block file read by this reader, and its SHA-256 once it is needed.</summary>
        private sealed class LooseFile
        {
            public LooseFile(string path) => Path = path;

            public string Path { get; }

            /// <summary>Null until needed (another file of the same size), or when the file cannot be read.</summary>
            public string? Sha256 { get; set; }
        }

        /// <summary>One file to read: where it is, what it holds if known, and its manifest entry when a manifest lists it.</summary>
        private sealed class DataFile
        {
            public DataFile(string path, ExportKind? kind, long? tagId, string? tagName, string? corpId, SnapshotFile? listed)
            {
                Path = path;
                Kind = kind;
                TagId = tagId;
                TagName = tagName;
                CorpId = corpId;
                Listed = listed;
            }

            public string Path { get; }

            public ExportKind? Kind { get; }

            public long? TagId { get; }

            public string? TagName { get; }

            public string? CorpId { get; }

            public SnapshotFile? Listed { get; }
        }

        /// <summary>A folder's manifest as first read: the manifest, none (both null), or why it could not be read.</summary>
        private sealed class FolderManifest
        {
            public FolderManifest(SnapshotManifest? manifest, Exception? problem, bool unreadable = false)
            {
                Manifest = manifest;
                Problem = problem;
                Unreadable = unreadable;
            }

            /// <summary>The problem is the file system's (<see cref="WeComErrors.ReadFailed"/>), not the manifest's content.</summary>
            public bool Unreadable { get; }

            public SnapshotManifest? Manifest { get; }

            public Exception? Problem { get; }
        }
    }
}

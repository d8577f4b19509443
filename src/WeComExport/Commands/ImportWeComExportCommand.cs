using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Internal;
using WeComExport.Records;
using WeComExport.Snapshots;

namespace WeComExport.Commands
{
    /// <summary>
    /// Import-WeComExport: reads a snapshot folder (checking every file against its manifest's SHA-256 before
    /// any record of it is written) or block files back as the records Receive-WeComExport writes, offline.
    /// </summary>
    [Cmdlet(VerbsData.Import, "WeComExport", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(WeComUser), typeof(WeComDepartment), typeof(WeComTagMember))]
    public sealed class ImportWeComExportCommand : WeComCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        private readonly HashSet<string> foldersRead = new(FileSystemPaths.Comparer);
        private readonly List<string> manifests = new();
        private SnapshotReader? reader;

        /// <summary>Snapshot folders, folders of block files, or block files; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>As -Path, without wildcards; a file or folder object from the pipeline (its FullName or PSPath) binds here.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>Read only this kind of record (User covers members and member details); other files are skipped unread.</summary>
        [Parameter]
        public WeComRecordKind? Kind { get; set; }

        protected override void BeginProcessing() => reader = new SnapshotReader(Kind, eachFileOnce: true);

        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string value in literal ? LiteralPath : Path)
            {
                foreach (string path in SnapshotPaths.Resolve(this, literal ? nameof(LiteralPath) : nameof(Path), value, literal, WriteError))
                {
                    if (SnapshotPaths.IsManifest(path))
                    {
                        // Decided at the end: the snapshot it stands for, unless files of its folder were read.
                        manifests.Add(path);
                        continue;
                    }

                    foldersRead.Add(SnapshotPaths.FolderOf(path));
                    Import(path);
                }
            }
        }

        /// <summary>
        /// A manifest.json given (named, piped or matched by a wildcard) stands for its snapshot, read now, unless the
        /// folder or files in it were read already (<c>Get-ChildItem snap/*.json</c>): then it is not data.
        /// </summary>
        protected override void EndProcessing()
        {
            foreach (string manifest in manifests)
            {
                if (SnapshotPaths.SnapshotOfManifest(this, manifest, foldersRead) is string folder)
                {
                    Import(folder);
                }
            }
        }

        private void Import(string path)
        {
            SnapshotReader snapshots = reader!;
            try
            {
                RunEngine(ct =>
                {
                    ItemBatch<WeComRecord> batch = NewOutputBatch<WeComRecord>();
                    void Failed(string file, WeComException problem)
                    {
                        // The records before the problem go out first, so the output keeps its order.
                        batch.Flush();
                        Post(() => WriteError(ErrorRecords.FromException(problem, file)));
                    }

                    foreach (WeComRecord record in snapshots.Read(path, Failed, ct))
                    {
                        batch.Add(record);
                    }

                    batch.Flush();
                    return Task.CompletedTask;
                });
            }
            catch (EngineCallException e)
            {
                WriteEngineError(e, path);
            }
        }
    }

    /// <summary>Snapshot and block-file path parameters (Import and Compare) resolved to existing file-system paths.</summary>
    internal static class SnapshotPaths
    {
        /// <summary>
        /// The paths <paramref name="value"/> names; for a path that is not a file-system one or names nothing, an
        /// error record (<see cref="WeComErrors.InvalidPath"/>, <see cref="WeComErrors.PathNotFound"/>) goes to
        /// <paramref name="error"/> and nothing is returned. A wildcard that matches nothing is an error too: an empty
        /// import must never pass for an empty directory.
        /// </summary>
        public static IReadOnlyList<string> Resolve(PSCmdlet cmdlet, string parameter, string value, bool literal, Action<ErrorRecord> error)
        {
            IReadOnlyList<string> paths = FileSystemPaths.ResolveExisting(cmdlet, parameter, value, literal, out string? problem, out bool notFound);
            if (problem is not null)
            {
                error(notFound
                    ? ErrorRecords.Create(new ItemNotFoundException(problem), WeComErrors.PathNotFound, value)
                    : ErrorRecords.InvalidArgument(WeComErrors.InvalidPath, problem, value));
            }

            return paths;
        }

        /// <summary>The folder a path reads from: itself for a folder, its parent for a file (a manifest's is its snapshot), normalized.</summary>
        public static string FolderOf(string path) => FileSystemPaths.Normalize(Directory.Exists(path) ? path : System.IO.Path.GetDirectoryName(path)!);

        /// <summary>True for a snapshot's manifest.json file (it stands for its snapshot, or is not data beside its files).</summary>
        public static bool IsManifest(string path) =>
            string.Equals(System.IO.Path.GetFileName(path), SnapshotManifest.FileName, StringComparison.OrdinalIgnoreCase) && File.Exists(path);

        /// <summary>
        /// The snapshot folder <paramref name="manifest"/> stands for, added to <paramref name="foldersRead"/>; null when
        /// that folder or files in it are read already (then the manifest is not data: those files are checked against
        /// it). Verbose says which.
        /// </summary>
        public static string? SnapshotOfManifest(PSCmdlet cmdlet, string manifest, ISet<string> foldersRead)
        {
            string folder = FolderOf(manifest);
            if (foldersRead.Add(folder))
            {
                cmdlet.WriteVerbose($"{manifest} is a snapshot's manifest: the snapshot in {folder} is read.");
                return folder;
            }

            cmdlet.WriteVerbose($"{manifest} is a snapshot's manifest, not data: files of {folder} are read, each checked against it.");
            return null;
        }

        /// <summary>
        /// All the paths one side of a comparison names, each manifest.json replaced by its snapshot folder unless that
        /// folder or files in it are named too (then the manifest is dropped: those files are checked against it).
        /// </summary>
        public static List<string> WithSnapshotsForManifests(PSCmdlet cmdlet, IReadOnlyList<string> paths)
        {
            var folders = new HashSet<string>(FileSystemPaths.Comparer);
            foreach (string path in paths)
            {
                if (!IsManifest(path))
                {
                    folders.Add(FolderOf(path));
                }
            }

            var result = new List<string>();
            foreach (string path in paths)
            {
                if (!IsManifest(path))
                {
                    result.Add(path);
                    continue;
                }

                if (SnapshotOfManifest(cmdlet, path, folders) is string folder)
                {
                    result.Add(folder);
                }
            }

            return result;
        }
    }
}

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

        protected override void BeginProcessing() => reader = new SnapshotReader(Kind);

        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string value in literal ? LiteralPath : Path)
            {
                foreach (string path in SnapshotPaths.Resolve(this, literal ? nameof(LiteralPath) : nameof(Path), value, literal, WriteError, fromPipeline: MyInvocation.ExpectingInput))
                {
                    Import(path);
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
        /// <remarks>
        /// A snapshot's manifest.json named on the command line (not through a wildcard, not from the pipeline) stands
        /// for its snapshot folder: the user named the snapshot. One from <c>Get-ChildItem snap/*</c> or a wildcard is
        /// left as it is, and the reader skips it as not data, so the block files beside it are read once.
        /// </remarks>
        public static IReadOnlyList<string> Resolve(PSCmdlet cmdlet, string parameter, string value, bool literal, Action<ErrorRecord> error, bool fromPipeline = false)
        {
            IReadOnlyList<string> paths = FileSystemPaths.ResolveExisting(cmdlet, parameter, value, literal, out string? problem, out bool notFound);
            if (problem is not null)
            {
                error(notFound
                    ? ErrorRecords.Create(new ItemNotFoundException(problem), WeComErrors.PathNotFound, value)
                    : ErrorRecords.InvalidArgument(WeComErrors.InvalidPath, problem, value));
            }

            bool named = !fromPipeline && (literal || !WildcardPattern.ContainsWildcardCharacters(value));
            if (named && paths.Count == 1 && string.Equals(System.IO.Path.GetFileName(paths[0]), SnapshotManifest.FileName, StringComparison.OrdinalIgnoreCase) && File.Exists(paths[0]))
            {
                string folder = System.IO.Path.GetDirectoryName(paths[0])!;
                cmdlet.WriteVerbose($"{paths[0]} is a snapshot's manifest: the snapshot in {folder} is read.");
                return new[] { folder };
            }

            return paths;
        }
    }
}

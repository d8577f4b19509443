using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using WeComExport.Api;
using WeComExport.Commands.Completion;
using WeComExport.Snapshots;

namespace WeComExport.Commands
{
    /// <summary>
    /// Export-WeComDirectory: the nightly job in one command. Starts the member and department exports (and the
    /// tag exports) at once, waits for them, receives and checks every block, and writes a snapshot folder
    /// (manifest.json and the data) that replaces the previous one whole, or not at all.
    /// </summary>
    [Cmdlet(VerbsData.Export, "WeComDirectory", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NoTagsSet)]
    [OutputType(typeof(WeComDirectorySnapshot))]
    public sealed class ExportWeComDirectoryCommand : WeComSessionCmdlet
    {
        private const string NoTagsSet = "NoTags";
        private const string TagIdSet = "TagId";
        private const string AllTagsSet = "AllTags";
        private const int ActivityId = 0x57EC2000;
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

        private readonly List<long> tagIds = new();
        private string? target;
        private string? tempFolder;

        /// <summary>The snapshot folder: created, or replaced whole when it holds a previous snapshot (or is empty).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Export member details (export/user) instead of userid, name, department and open_userid.</summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

        /// <summary>Also export the members of these tags, one export each (binds TagId from Get-WeComTag's output).</summary>
        [Parameter(Mandatory = true, ParameterSetName = TagIdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [ArgumentCompleter(typeof(TagIdCompleter))]
#pragma warning disable CA1819 // PowerShell binds arrays, not collections, for repeated values.
        public long[] TagId { get; set; } = Array.Empty<long>();

        /// <summary>Also export the members of every tag the app can read (tag/list), one export each.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AllTagsSet)]
        public SwitchParameter AllTags { get; set; }

        /// <summary>Json: the decrypted blocks as WeCom sent them (what reading the snapshot back needs); Csv: Excel-ready CSV files. Both may be given.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateSet("Json", "Csv")]
        public string[] Format { get; set; } = { "Json" };
#pragma warning restore CA1819

        /// <summary>Seconds to wait for WeCom to finish the exports; -1 (the default) waits for ever.</summary>
        [Parameter]
        [Alias("TimeoutSec")]
        [ValidateRange(-1, int.MaxValue)]
        public int Timeout { get; set; } = -1;

        /// <summary>Seconds before the first re-check of each export; later checks wait longer, up to ten times this.</summary>
        [Parameter]
        [ValidateRange(0.05, 3600)]
        public double PollInterval { get; set; } = 1;

        /// <summary>Records per block, 10000..1000000 (WeCom's default when omitted: 1000000).</summary>
        [Parameter]
        [ValidateRange(Export.ExportLimits.MinBlockSize, Export.ExportLimits.MaxBlockSize)]
        public int? BlockSize { get; set; }

        /// <summary>The folder for the spool files (each block while it is verified; it must exist). Default: $env:WECOM_TEMP_DIRECTORY, else the system temp folder.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TempDirectory { get; set; }

        /// <summary>Replace a non-empty folder that is not a snapshot (no manifest.json); its contents are deleted.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void BeginProcessing()
        {
            // A file there is WeComSnapshotPathInUse, from the engine's check of the target.
            target = ResolveFileSystemFolder(nameof(Path), Path, WeComErrors.InvalidSnapshotPath, fileIsCheckedLater: true);
            tempFolder = ResolveFileSystemFolder(nameof(TempDirectory), TempDirectory, WeComErrors.InvalidTempDirectory);
        }

        protected override void ProcessRecord()
        {
            // Tag ids may come from the pipeline (Get-WeComTag | Export-WeComDirectory): one snapshot holds them all.
            tagIds.AddRange(TagId);
        }

        protected override void EndProcessing()
        {
            WeComSession session = ResolveSession();
            string folder;
            try
            {
                folder = SnapshotWriter.CheckTarget(target!, Force);
            }
            catch (WeComException ex)
            {
                ThrowTerminatingError(ErrorRecords.FromException(ex, Path));
                return;
            }

            var options = new SnapshotOptions
            {
                Detailed = Detailed,
                AllTags = AllTags,
                TagIds = tagIds.Distinct().ToList(),
                Timeout = Timeout < 0 ? null : TimeSpan.FromSeconds(Timeout),
                PollInterval = TimeSpan.FromSeconds(PollInterval),
                BlockSize = BlockSize,
                Formats = Format.Aggregate(SnapshotFormat.None, (all, f) => all | (SnapshotFormat)Enum.Parse(typeof(SnapshotFormat), f, ignoreCase: true)),
                Force = Force,
                TempDirectory = tempFolder,
                ModuleVersion = MyInvocation.MyCommand.Module?.Version?.ToString(),
            };

            string tags = AllTags ? ", every tag" : options.TagIds.Count > 0 ? $", {options.TagIds.Count} tag(s)" : string.Empty;
            string what = $"Export the directory of corp {session.CorpId} ({(Detailed ? "member details" : "members")}, departments{tags}) as a snapshot, "
                + (System.IO.Directory.Exists(folder) ? "replacing the folder's contents" : "creating the folder");
            if (!ShouldProcess(folder, what))
            {
                return;
            }

            var progress = new ProgressWriter(this, $"Exporting the WeCom directory of corp {session.CorpId} to {folder}");
            try
            {
                WeComDirectorySnapshot snapshot = RunEngine(ct => SnapshotWriter.WriteAsync(session, folder, options, progress.Report, ct));
                WriteObject(snapshot);
            }
            catch (EngineCallException ex)
            {
                WriteEngineError(ex, folder);
            }
            finally
            {
                progress.Complete();
            }
        }

        /// <summary>
        /// Turns the engine's reports into progress records on the pipeline thread: one parent activity for the
        /// snapshot and one child per export. Updates are throttled; a change of stage always goes through.
        /// </summary>
        private sealed class ProgressWriter
        {
            private readonly ExportWeComDirectoryCommand cmdlet;
            private readonly string activity;
            private readonly Stopwatch throttle = Stopwatch.StartNew();
            private readonly object gate = new();
            private readonly Dictionary<int, string> children = new();

            public ProgressWriter(ExportWeComDirectoryCommand cmdlet, string activity)
            {
                this.cmdlet = cmdlet;
                this.activity = activity;
            }

            /// <summary>Called on engine threads.</summary>
            public void Report(SnapshotProgress p)
            {
                if (p.Stage is SnapshotStage.Waiting or SnapshotStage.Receiving)
                {
                    lock (gate)
                    {
                        if (throttle.Elapsed < ProgressInterval)
                        {
                            return;
                        }

                        throttle.Restart();
                    }
                }

                cmdlet.PostProgress(() => Write(p));
            }

            /// <summary>Completes every activity that was shown; on the pipeline thread.</summary>
            public void Complete()
            {
                foreach (KeyValuePair<int, string> child in children)
                {
                    cmdlet.WriteProgress(new ProgressRecord(child.Key, child.Value, "Done") { ParentActivityId = ActivityId, RecordType = ProgressRecordType.Completed });
                }

                children.Clear();
                cmdlet.WriteProgress(new ProgressRecord(ActivityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
            }

            private void Write(SnapshotProgress p)
            {
                string overall = p.Stage switch
                {
                    SnapshotStage.Starting => "Starting the exports",
                    SnapshotStage.WritingCsv => "Writing the CSV files",
                    SnapshotStage.Committing => "Moving the snapshot into place",
                    _ => string.Format(CultureInfo.InvariantCulture, "{0} of {1} exports received, {2:0} s", p.ExportsDone, p.ExportCount, p.Elapsed.TotalSeconds),
                };
                cmdlet.WriteProgress(new ProgressRecord(ActivityId, activity, overall)
                {
                    PercentComplete = p.ExportCount > 0 ? p.ExportsDone * 100 / p.ExportCount : -1,
                });
                if (p.ExportIndex < 0)
                {
                    return;
                }

                int id = ActivityId + 1 + p.ExportIndex;
                string child = $"{p.ExportName} export {p.JobId}";
                var record = new ProgressRecord(id, child, StatusOf(p)) { ParentActivityId = ActivityId };
                if (p.Stage == SnapshotStage.Receiving && p.Receive is { TotalBytes: > 0 } r)
                {
                    record.PercentComplete = (int)Math.Min(100, r.BytesDownloaded * 100 / r.TotalBytes);
                }

                if (p.Stage == SnapshotStage.Received)
                {
                    record.RecordType = ProgressRecordType.Completed;
                    children.Remove(id);
                }
                else
                {
                    children[id] = child;
                }

                cmdlet.WriteProgress(record);
            }

            private static string StatusOf(SnapshotProgress p) => p.Stage switch
            {
                SnapshotStage.Waiting => string.Format(CultureInfo.InvariantCulture, "Waiting: {0}, {1:0} s", p.Status, p.Elapsed.TotalSeconds),
                SnapshotStage.Receiving when p.Receive is { } r => string.Format(
                    CultureInfo.InvariantCulture,
                    "Receiving block {0} of {1}: {2:0.0} of {3:0.0} MB, {4:N0} records",
                    r.BlockIndex + 1,
                    r.BlockCount,
                    r.BytesDownloaded / 1048576.0,
                    r.TotalBytes / 1048576.0,
                    r.Records),
                SnapshotStage.Received => string.Format(CultureInfo.InvariantCulture, "{0:N0} records", p.Records),
                _ => p.Stage.ToString(),
            };
        }
    }
}

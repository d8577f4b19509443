using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Export;
using WeComExport.Records;

namespace WeComExport.Commands
{
    /// <summary>
    /// Receive-WeComExport: downloads each block of a finished job, verifies its size and MD5,
    /// decrypts it and writes its records as they are decoded (or, with -OutputDirectory, the
    /// decrypted block files).
    /// </summary>
    [Cmdlet(VerbsCommunications.Receive, "WeComExport", DefaultParameterSetName = JobSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(WeComUser), typeof(WeComDepartment), typeof(WeComTagMember), typeof(FileInfo))]
    public sealed class ReceiveWeComExportCommand : JobCommandBase
    {
        /// <summary>The type name the format file's block-file view is selected by.</summary>
        internal const string BlockFileTypeName = "WeComExport.BlockFile";

        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);
        private string? outputFolder;
        private string? tempFolder;

        /// <summary>The key the export was started with; required with -JobId, optional with a job object that carries it.</summary>
        // Not mandatory even with -JobId: from the pipeline (a notification, a job read back with Import-Clixml) a missing
        // key must be WeComEncodingAesKeyRequired with its advice, not PowerShell's InputObjectNotBound.
        [Parameter(ParameterSetName = JobSet)]
        [Parameter(ParameterSetName = JobIdSet)]
        [ValidateNotNull]
        [SecureStringOnly]
        public SecureString? EncodingAesKey { get; set; }

        /// <summary>Save each decrypted block as a JSON file in this file-system folder (created if missing; on Unix the owner's only) instead of writing records.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OutputDirectory { get; set; }

        /// <summary>The folder for the spool files (each block while it is verified; it must exist). Default: $env:WECOM_TEMP_DIRECTORY, else the system temp folder.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TempDirectory { get; set; }

        protected override WeComExportJob InputJob()
        {
            WeComExportJob job = base.InputJob();
            if (EncodingAesKey is not null)
            {
                Crypto.EncodingAesKey key = KeyParameters.Parse(this, EncodingAesKey, problem =>
                    ErrorRecords.InvalidArgument(WeComErrors.InvalidEncodingAesKey, problem, null));
                if (ParameterSetName == JobSet)
                {
                    // Keep the caller's job object as it is; receive with a copy that holds the given key.
                    job = new WeComExportJob(job.JobId, job.Kind, job.CorpId, job.TagId, job.BlockSize, job.SubmittedAt) { Session = job.Session };
                }

                job.Key = key;
            }

            return job;
        }

        protected override void BeginProcessing()
        {
            outputFolder = ResolveFileSystemFolder(nameof(OutputDirectory), OutputDirectory, WeComErrors.InvalidOutputDirectory);
            tempFolder = ResolveFileSystemFolder(nameof(TempDirectory), TempDirectory, WeComErrors.InvalidTempDirectory);
        }

        protected override void ProcessRecord()
        {
            WeComExportJob job = InputJob();
            if (ResolveSessionFor(job) is not { } session)
            {
                return;
            }

            // Only files change anything: records streamed to the pipeline need no confirmation.
            if (outputFolder is not null && !ShouldProcess(outputFolder, $"Write the decrypted blocks of job {job.JobId} (replacing files of the same names)"))
            {
                return;
            }

            var throttle = Stopwatch.StartNew();
            int activityId = 0x57EC1000 + (job.JobId.GetHashCode() & 0xFFF);
            void Report(ReceiveProgress p)
            {
                if (throttle.Elapsed < ProgressInterval)
                {
                    return;
                }

                throttle.Restart();
                PostProgress(() => WriteProgress(ProgressFor(activityId, p)));
            }

            try
            {
                string? directory = outputFolder;
                var options = new ReceiveOptions { TempDirectory = tempFolder };
                RunEngine(ct => directory is null
                    ? ReceiveRecordsInBatchesAsync(session, job, options, Report, ct)
                    : ExportReceiver.ReceiveFilesAsync(session, job, directory, file => Post(() => WriteObject(AsBlockFile(file))), Report, options, ct));
            }
            catch (EngineCallException ex)
            {
                WriteEngineError(ex, job);
            }
            finally
            {
                WriteProgress(new ProgressRecord(activityId, ActivityFor(job.JobId), "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

        /// <summary>
        /// Hands records to the pipeline thread in batches of <see cref="DefaultBatchSize"/>: one queue hand-off per
        /// batch, and at most a few batches in flight (<see cref="WeComCmdlet.PostBatch{T}"/>).
        /// </summary>
        private Task ReceiveRecordsInBatchesAsync(WeComSession session, WeComExportJob job, ReceiveOptions options, Action<ReceiveProgress> report, CancellationToken ct) =>
            ExportReceiver.ReceiveRecordBatchesAsync(session, job, DefaultBatchSize, PostBatch, report, options, ct);

        /// <summary>
        /// The block file with the type name <see cref="BlockFileTypeName"/> first, so the module's table view
        /// (Name, Length, LastWriteTime) shows it without changing how other FileInfo objects are shown.
        /// </summary>
        private static PSObject AsBlockFile(FileInfo file)
        {
            var output = new PSObject(file);
            output.TypeNames.Insert(0, BlockFileTypeName);
            return output;
        }

        private static string ActivityFor(string jobId) => $"Receiving WeCom export {jobId}";

        private static ProgressRecord ProgressFor(int activityId, ReceiveProgress p)
        {
            string status = string.Format(
                CultureInfo.InvariantCulture,
                "Block {0} of {1}: {2:0.0} of {3:0.0} MB downloaded, {4:N0} records",
                p.BlockIndex + 1,
                p.BlockCount,
                p.BytesDownloaded / 1048576.0,
                p.TotalBytes / 1048576.0,
                p.Records);
            return new ProgressRecord(activityId, ActivityFor(p.JobId), status)
            {
                PercentComplete = p.TotalBytes > 0 ? (int)Math.Min(100, p.BytesDownloaded * 100 / p.TotalBytes) : -1,
            };
        }
    }
}

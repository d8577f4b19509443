using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Export;

namespace WeComExport.Commands
{
    /// <summary>
    /// Wait-WeComExport: polls the piped jobs until each is done and writes each job as it finishes.
    /// A job that fails or times out is an error record (WeComExportFailed, WeComExportTimeout); the others go on.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "WeComExport", DefaultParameterSetName = JobSet)]
    [OutputType(typeof(WeComExportJob))]
    public sealed class WaitWeComExportCommand : JobCommandBase
    {
        private readonly List<(WeComExportJob Job, WeComSession Session)> jobs = new();

        /// <summary>Seconds to wait for all jobs; -1 (the default) waits for ever.</summary>
        [Parameter]
        [Alias("TimeoutSec")]
        [ValidateRange(-1, int.MaxValue)]
        public int Timeout { get; set; } = -1;

        /// <summary>Seconds before the first re-check; later checks wait longer, up to ten times this.</summary>
        [Parameter]
        [ValidateRange(0.05, 3600)]
        public double PollInterval { get; set; } = 1;

        protected override void ProcessRecord()
        {
            WeComExportJob job = InputJob();
            if (ResolveSessionFor(job) is { } session)
            {
                jobs.Add((job, session));
            }
        }

        protected override void EndProcessing()
        {
            if (jobs.Count == 0)
            {
                return;
            }

            TimeSpan? timeout = Timeout < 0 ? null : TimeSpan.FromSeconds(Timeout);
            TimeSpan interval = TimeSpan.FromSeconds(PollInterval);
            try
            {
                WaitAll(timeout, interval);
            }
            catch (EngineCallException ex)
            {
                WriteEngineError(ex, null);
            }
        }

        private void WaitAll(TimeSpan? timeout, TimeSpan interval) =>
            RunEngine(async ct =>
            {
                var pending = jobs.Select((item, index) => (item.Job, Index: index, Task: WaitOneAsync(item.Job, item.Session, index, timeout, interval, ct))).ToList();
                while (pending.Count > 0)
                {
                    Task<WeComExportResult> finished = await Task.WhenAny(pending.Select(p => p.Task)).ConfigureAwait(false);
                    var entry = pending.First(p => p.Task == finished);
                    pending.Remove(entry);
                    if (finished.Status == TaskStatus.RanToCompletion)
                    {
                        entry.Job.LastResult = finished.Result;
                        Post(() =>
                        {
                            WriteProgress(ProgressFor(entry.Job, entry.Index, finished.Result.Status, TimeSpan.Zero, completed: true));
                            WriteObject(entry.Job);
                        });
                    }
                    else
                    {
                        ct.ThrowIfCancellationRequested();
                        Exception error = finished.Exception!.GetBaseException();
                        Post(() =>
                        {
                            WriteProgress(ProgressFor(entry.Job, entry.Index, ExportStatus.Failed, TimeSpan.Zero, completed: true));
                            WriteError(ErrorRecords.FromException(error, entry.Job));
                        });
                    }
                }
            });

        private Task<WeComExportResult> WaitOneAsync(WeComExportJob job, WeComSession session, int index, TimeSpan? timeout, TimeSpan interval, CancellationToken ct) =>
            ExportOperations.WaitAsync(
                session,
                job.JobId,
                timeout,
                interval,
                (result, elapsed) =>
                {
                    job.LastResult = result;
                    Post(() => WriteProgress(ProgressFor(job, index, result.Status, elapsed, completed: false)));
                },
                ct);

        private static ProgressRecord ProgressFor(WeComExportJob job, int index, ExportStatus status, TimeSpan elapsed, bool completed)
        {
            string kind = job.Kind?.ToString() ?? "export";
            var record = new ProgressRecord(
                0x57EC0000 + index,
                $"Waiting for WeCom {kind} job",
                string.Format(CultureInfo.InvariantCulture, "{0}: {1}, {2:0} s", job.JobId, status, elapsed.TotalSeconds));
            if (completed)
            {
                record.RecordType = ProgressRecordType.Completed;
            }

            return record;
        }
    }
}

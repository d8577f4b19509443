using System;
using System.Diagnostics;
using System.Reflection;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Crypto;
using WeComExport.Export;

namespace WeComExport.Bench
{
    /// <summary>
    /// Measure (2), the engine: ExportReceiver.ReceiveRecordsAsync building every record (download to a spool
    /// file, verify, decrypt, parse) with an emit that only counts, so nothing reaches a pipeline.
    /// Timed from the call (which asks get_result) to its end; the connection (gettoken) is made before.
    /// </summary>
    internal static class EngineBench
    {
        public static async Task RunAsync(BenchJob job)
        {
            using SecureString secret = new();
            foreach (char c in job.Secret)
            {
                secret.AppendChar(c);
            }

            using WeComSession session = await WeComSession.ConnectAsync(job.CorpId, secret, new Uri(job.BaseUri), CancellationToken.None).ConfigureAwait(false);
            WeComExportJob exportJob = JobWithKey(new WeComExportJob(job.JobId, ExportKind.User, job.CorpId), EncodingAesKey.Parse(job.Key));
            long records = 0;
            var clock = Stopwatch.StartNew();
            await ExportReceiver.ReceiveRecordsAsync(session, exportJob, _ => records++, null, CancellationToken.None).ConfigureAwait(false);
            clock.Stop();
            BenchResult.Print("engine", clock.Elapsed.TotalSeconds, records, exportJob.LastResult!.TotalSize, exportJob.LastResult.BlockCount);
        }

        /// <summary>
        /// A job known by id gets its key the way Receive-WeComExport -JobId -EncodingAesKey gives it: the key is
        /// internal to the engine (never printed), so the benchmark sets it by reflection rather than starting a new job.
        /// </summary>
        private static WeComExportJob JobWithKey(WeComExportJob job, EncodingAesKey key)
        {
            PropertyInfo property = typeof(WeComExportJob).GetProperty("Key", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
                ?? throw new MissingMemberException("WeComExportJob has no Key property any more: update EngineBench.JobWithKey.");
            property.SetValue(job, key);
            return job;
        }
    }
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Crypto;
using WeComExport.Emulator.Callbacks;
using WeComExport.Export;

namespace WeComExport.Emulator.Jobs
{
    /// <summary>
    /// Every job of every corp, and the background work that takes each one 0 → 1 → 2 (or 3):
    /// wait JobDelay, write the encrypted blocks to disk (in parallel, one file per block), wait
    /// PrepareDelay, then report the end to the corp's callback URL.
    /// </summary>
    internal sealed class JobStore : IAsyncDisposable
    {
        private const string JobIdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

        private readonly EmulatorOptions options;
        private readonly string dataDirectory;
        private readonly CallbackSender callbacks;
        private readonly ConcurrentDictionary<string, ExportJob> jobs = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, BlockFile> files = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<Task, byte> running = new();
        private readonly CancellationTokenSource stopping = new();

        public JobStore(EmulatorOptions options, string dataDirectory, CallbackSender callbacks)
        {
            this.options = options;
            this.dataDirectory = dataDirectory;
            this.callbacks = callbacks;
        }

        public ExportJob Start(EmulatorCorp corp, ExportContent content, EncodingAesKey key, int blockSize, bool fail)
        {
            PurgeExpired(DateTimeOffset.UtcNow);
            string jobId = "jobid_" + RandomNumberGenerator.GetString(JobIdAlphabet, 43);
            string folder = Path.Combine(dataDirectory, corp.CorpId, jobId);
            var job = new ExportJob(jobId, corp, content, key, blockSize, fail, DateTimeOffset.UtcNow, folder);
            jobs[jobId] = job;
            Track(RunAsync(job, stopping.Token));
            return job;
        }

        /// <summary>The job if it exists, belongs to <paramref name="corp"/> and has not expired; otherwise null (answered as 40088).</summary>
        public ExportJob? Find(string? jobId, EmulatorCorp corp)
        {
            if (jobId is null || !jobs.TryGetValue(jobId, out ExportJob? job) || !ReferenceEquals(job.Corp, corp))
            {
                return null;
            }

            return IsExpired(job, DateTimeOffset.UtcNow) ? null : job;
        }

        /// <summary>Whether the job is older than --job-lifetime (its id answers 40088, its URLs 403).</summary>
        public bool IsExpired(ExportJob job, DateTimeOffset now) => now - job.Created > options.JobLifetime;

        public BlockFile? FindBlock(string? fileId) =>
            fileId is not null && files.TryGetValue(fileId, out BlockFile? block) ? block : null;

        /// <summary>Jobs held, finished or not (tests check that expired ones are purged).</summary>
        internal int Count => jobs.Count;

        /// <summary>
        /// Forgets finished jobs older than --job-lifetime: their block files are deleted and their callback
        /// records dropped, so a long-running emulator does not grow without end. Called on every new job;
        /// a job still running is left until it ends.
        /// </summary>
        public int PurgeExpired(DateTimeOffset now)
        {
            int removed = 0;
            foreach (ExportJob job in jobs.Values)
            {
                if (job.Status is ExportStatus.Done or ExportStatus.Failed && IsExpired(job, now) && Forget(job))
                {
                    removed++;
                }
            }

            return removed;
        }

        /// <summary>Forgets every finished job and deletes its files (benchmarks free disk with this); running jobs are kept.</summary>
        public int RemoveFinished()
        {
            int removed = 0;
            foreach (ExportJob job in jobs.Values)
            {
                if (job.Status is ExportStatus.Done or ExportStatus.Failed && Forget(job))
                {
                    removed++;
                }
            }

            return removed;
        }

        public async ValueTask DisposeAsync()
        {
            await stopping.CancelAsync();
            try
            {
                await Task.WhenAll(running.Keys);
            }
            catch (OperationCanceledException)
            {
                // Stopping: jobs end where they are.
            }

            stopping.Dispose();
        }

        private bool Forget(ExportJob job)
        {
            if (!jobs.TryRemove(job.JobId, out _))
            {
                return false;
            }

            foreach (BlockFile block in job.Blocks)
            {
                files.TryRemove(block.FileId, out _);
            }

            TryDeleteFolder(job.Directory);
            callbacks.Forget(job.JobId);
            return true;
        }

        private static void TryDeleteFolder(string folder)
        {
            try
            {
                if (System.IO.Directory.Exists(folder))
                {
                    System.IO.Directory.Delete(folder, recursive: true);
                }
            }
            catch (IOException)
            {
                // A download may still hold a file open; the data folder is removed at exit anyway.
            }
            catch (UnauthorizedAccessException)
            {
                // As above.
            }
        }

        private void Track(Task task)
        {
            running[task] = 0;
            task.ContinueWith(t => running.TryRemove(t, out _), TaskScheduler.Default);
        }

        private async Task RunAsync(ExportJob job, CancellationToken ct)
        {
            try
            {
                await Task.Delay(options.JobDelay, ct);
                job.Status = ExportStatus.Processing;
                if (!job.Fail)
                {
                    job.Blocks = await Task.Run(() => WriteBlocks(job, ct), ct);
                }

                await Task.Delay(options.PrepareDelay, ct);
                job.Status = job.Fail ? ExportStatus.Failed : ExportStatus.Done;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                // Disk full or a bug: the job fails as a real one would (status 3); the reason goes to stderr.
                await Console.Error.WriteLineAsync($"emulator: job {job.JobId} failed writing blocks: {ex.Message}");
                job.Status = ExportStatus.Failed;
            }

            Track(callbacks.DeliverAsync(job, ct));
        }

        private BlockFile[] WriteBlocks(ExportJob job, CancellationToken ct)
        {
            System.IO.Directory.CreateDirectory(job.Directory);
            int count = job.Content.Count;
            int blockCount = Math.Max(1, (int)(((long)count + job.BlockSize - 1) / job.BlockSize));
            var blocks = new BlockFile[blockCount];
            // Blocks one after another; each block's records are rendered on every core (BlockRenderer).
            for (int b = 0; b < blockCount; b++)
            {
                ct.ThrowIfCancellationRequested();
                int start = b * job.BlockSize;
                int n = Math.Max(0, Math.Min(job.BlockSize, count - start));
                string path = Path.Combine(job.Directory, "data_" + b.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".bin");
                long size;
                string md5;
                using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0))
                using (var encrypted = new EncryptedBlockStream(file, job.Key))
                {
                    BlockRenderer.Write(job.Content, encrypted, start, n, ct);
                    (size, md5) = encrypted.Complete();
                }

                if (options.BlockEncoding == EmulatorOptions.Base64Encoding)
                {
                    (size, md5) = Base64BlockFile.Encode(path);
                }

                blocks[b] = new BlockFile(job, b, path, size, md5, RandomNumberGenerator.GetHexString(32, lowercase: true));
            }

            foreach (BlockFile block in blocks)
            {
                files[block.FileId] = block;
            }

            return blocks;
        }
    }
}

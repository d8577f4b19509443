using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Blocks;
using WeComExport.Crypto;
using WeComExport.Diagnostics;
using WeComExport.Records;

namespace WeComExport.Export
{
    /// <summary>
    /// Receives a finished export block by block: download to a spool file while counting and hashing,
    /// verify size and MD5 (re-downloading a damaged block), and only then decrypt and parse it as a
    /// stream, so no record of a bad block is ever emitted and no block is held in memory.
    /// </summary>
    public static class ExportReceiver
    {
        private const int SpoolBufferSize = 1 << 16;

        /// <summary>Streams every record of the job to <paramref name="emit"/>, in block order.</summary>
        public static Task ReceiveRecordsAsync(WeComSession session, WeComExportJob job, Action<WeComRecord> emit, Action<ReceiveProgress>? progress, CancellationToken cancellationToken) =>
            ReceiveAsync(session, job, progress, (spool, block, key, records) => InBlockAsync(block.Index, () =>
            {
                ExportKind kind = job.Kind ?? Sniff(spool, key);
                spool.Position = 0;
                using Stream plaintext = BlockDecryption.OpenPlaintext(spool, key, leaveOpen: true);
                foreach (WeComRecord record in ExportRecordReader.Read(plaintext, kind, job.TagId, cancellationToken))
                {
                    emit(record);
                    records.Increment();
                }

                return Task.CompletedTask;
            }), cancellationToken);

        /// <summary>Writes each block's decrypted JSON to <paramref name="outputDirectory"/> atomically and reports each file.</summary>
        public static Task ReceiveFilesAsync(WeComSession session, WeComExportJob job, string outputDirectory, Action<FileInfo> emit, Action<ReceiveProgress>? progress, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(outputDirectory))
            {
                throw new ArgumentException("The output directory is empty.", nameof(outputDirectory));
            }

            return ReceiveAsync(session, job, progress, (spool, block, key, _) => InBlockAsync(block.Index, async () =>
            {
                // Created only once there is a verified block to put in it.
                OutputFolder.Create(outputDirectory);
                string path = Path.Combine(outputDirectory, FileNameFor(job.JobId, block.Index));
                await BlockDecryption.DecryptToFileAsync(spool, key, job.Kind, path, cancellationToken).ConfigureAwait(false);
                emit(new FileInfo(path));
            }), cancellationToken);
        }

        /// <summary>The block file's name: the job id made file-safe, and the block's index.</summary>
        public static string FileNameFor(string jobId, int blockIndex)
        {
            if (jobId is null)
            {
                throw new ArgumentNullException(nameof(jobId));
            }

            char[] invalid = Path.GetInvalidFileNameChars();
            var safe = new char[jobId.Length];
            for (int i = 0; i < jobId.Length; i++)
            {
                safe[i] = Array.IndexOf(invalid, jobId[i]) >= 0 ? '_' : jobId[i];
            }

            return string.Format(CultureInfo.InvariantCulture, "{0}.block{1:D4}.json", new string(safe), blockIndex);
        }

        /// <summary>
        /// Runs one block's consumer and names the block in a format error (the reader knows nothing of
        /// blocks). A block of another kind than the job was read as is WeComExportKindMismatch.
        /// </summary>
        private static async Task InBlockAsync(int blockIndex, Func<Task> consume)
        {
            try
            {
                await consume().ConfigureAwait(false);
            }
            catch (ExportFormatException ex)
            {
                ex.LocateInBlock(blockIndex);
                if (ex is ExportKindMismatchException { ExpectedKind: not null })
                {
                    throw new WeComException(
                        "WeComExportKindMismatch",
                        WeComErrorKind.InvalidData,
                        ex.Message,
                        "The job is of another export kind than it was received as: receive it as the kind it was started with, or without a kind to have it read from the blocks.",
                        ex);
                }

                throw;
            }
        }

        private static ExportKind Sniff(Stream spool, EncodingAesKey key)
        {
            spool.Position = 0;
            using Stream plaintext = BlockDecryption.OpenPlaintext(spool, key, leaveOpen: true);
            return ExportKindSniffer.Detect(plaintext);
        }

        private static async Task ReceiveAsync(
            WeComSession session,
            WeComExportJob job,
            Action<ReceiveProgress>? progress,
            Func<FileStream, WeComExportBlock, EncodingAesKey, RecordCounter, Task> consume,
            CancellationToken cancellationToken)
        {
            if (session is null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            if (job is null)
            {
                throw new ArgumentNullException(nameof(job));
            }

            EncodingAesKey key = job.Key ?? throw new WeComException(
                "WeComEncodingAesKeyRequired",
                WeComErrorKind.InvalidArgument,
                $"Job {job.JobId} carries no EncodingAesKey, so its blocks cannot be decrypted.",
                "Pass -EncodingAesKey with the key the export was started with.");

            WeComExportResult result = await ExportOperations.GetResultAsync(session, job.JobId, cancellationToken).ConfigureAwait(false);
            job.LastResult = result;
            switch (result.Status)
            {
                case ExportStatus.Failed:
                    throw new WeComExportFailedException($"Export job {job.JobId} failed on WeCom's side (status 3); there is nothing to receive.");
                case ExportStatus.NotStarted:
                case ExportStatus.Processing:
                    throw new WeComException("WeComExportNotReady", WeComErrorKind.InvalidArgument, $"Export job {job.JobId} is still {result.Status}.", "Pipe the job through Wait-WeComExport first.");
            }

            long downloadedBefore = 0;
            var records = new RecordCounter();
            for (int index = 0; index < result.BlockCount; index++)
            {
                WeComExportBlock block = result.Blocks[index];
                string spoolPath = Path.Combine(Path.GetTempPath(), "WeComExport-" + Guid.NewGuid().ToString("N") + ".block");
                using var spool = new FileStream(spoolPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, SpoolBufferSize, FileOptions.DeleteOnClose);
                long before = downloadedBefore;
                Task<bool> Download(WeComExportBlock b) => session.RetryPolicy.ExecuteAsync(
                    $"download of block {b.Index}",
                    ct => DownloadVerifiedAsync(session, b, spool, done => progress?.Invoke(new ReceiveProgress(job.JobId, b.Index, result.BlockCount, before + done, result.TotalSize, records.Value)), ct),
                    cancellationToken);
                try
                {
                    await Download(block).ConfigureAwait(false);
                }
                catch (WeComHttpException ex) when (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
                {
                    // Download URLs live two hours: a long receive outlives them. get_result hands out fresh ones.
                    WeComLog.Verbose($"The download URL of block {block.Index} was refused ({(int)ex.StatusCode}); fetching fresh URLs.");
                    result = await ExportOperations.GetResultAsync(session, job.JobId, cancellationToken).ConfigureAwait(false);
                    job.LastResult = result;
                    block = result.Blocks.Count > index
                        ? result.Blocks[index]
                        : throw new WeComException("WeComInvalidAnswer", WeComErrorKind.InvalidData, $"get_result for {job.JobId} no longer lists block {index}.", "Start the export again.", ex);
                    await Download(block).ConfigureAwait(false);
                }

                downloadedBefore += block.Size;
                WeComLog.Verbose(string.Format(CultureInfo.InvariantCulture, "Block {0} of job {1}: {2} bytes, MD5 verified.", block.Index, job.JobId, block.Size));

                BlockKeyCheck.ThrowIfWrongKey(spool, key);
                await consume(spool, block, key, records).ConfigureAwait(false);
                progress?.Invoke(new ReceiveProgress(job.JobId, block.Index, result.BlockCount, downloadedBefore, result.TotalSize, records.Value));
            }
        }

        private static async Task<bool> DownloadVerifiedAsync(WeComSession session, WeComExportBlock block, FileStream spool, Action<long> bytesCopied, CancellationToken cancellationToken)
        {
            spool.SetLength(0);
            // A stalled connection must not hang an unattended runbook: the clock restarts with each
            // MiB received, and when it runs out the response is disposed, which also unblocks a read
            // that ignores cancellation (.NET Framework).
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stall.CancelAfter(session.DownloadStallTimeout);
            BlockChecksum checksum;
            try
            {
                using HttpResponseMessage response = await session.Api.OpenDownloadAsync(block.Url, stall.Token).ConfigureAwait(false);
                using CancellationTokenRegistration unblock = stall.Token.Register(response.Dispose);
                using Stream body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                checksum = await BlockIntegrity.CopyAndHashAsync(
                    body,
                    new SpoolWriteStream(spool),
                    done =>
                    {
                        stall.CancelAfter(session.DownloadStallTimeout);
                        bytesCopied(done);
                    },
                    stall.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or ObjectDisposedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                string why = stall.IsCancellationRequested ? $"no data came for {session.DownloadStallTimeout.TotalSeconds:0} s" : Redactor.Redact(ex.Message);
                throw new WeComHttpException($"The download of block {block.Index} broke off: {why}", null, ex);
            }

            BlockIntegrity.Verify(checksum, block.Size, block.Md5, block.Index);
            await spool.FlushAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }

        /// <summary>A running record count shared by the block consumers and progress reports.</summary>
        private sealed class RecordCounter
        {
            private long value;

            public long Value => Interlocked.Read(ref value);

            public void Increment() => Interlocked.Increment(ref value);
        }
    }
}

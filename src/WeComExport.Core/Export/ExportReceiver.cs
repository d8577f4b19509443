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
        /// <summary>Fresh URLs fetched for one block whose URL was refused (403/404) before the receive gives up.</summary>
        private const int MaxUrlRenewals = 3;

        /// <summary>Streams every record of the job to <paramref name="emit"/>, in block order.</summary>
        public static Task ReceiveRecordsAsync(WeComSession session, WeComExportJob job, Action<WeComRecord> emit, Action<ReceiveProgress>? progress, CancellationToken cancellationToken) =>
            ReceiveRecordsAsync(session, job, emit, progress, null, cancellationToken);

        /// <summary>Streams every record of the job to <paramref name="emit"/>, in block order; <paramref name="options"/> chooses the temp folder.</summary>
        public static Task ReceiveRecordsAsync(WeComSession session, WeComExportJob job, Action<WeComRecord> emit, Action<ReceiveProgress>? progress, ReceiveOptions? options, CancellationToken cancellationToken) =>
            ReceiveAsync(session, job, options, progress, (spool, block, key, records) => InBlockAsync(block.Index, () =>
            {
                ExportKind kind = job.Kind ?? Sniff(spool, key);
                spool.Position = 0;
                using Stream plaintext = BlockDecryption.OpenPlaintext(spool, key, leaveOpen: true);
                foreach (WeComRecord record in ExportRecordReader.Read(plaintext, kind, job.TagId, cancellationToken))
                {
                    record.CorpId = session.CorpId;
                    emit(record);
                    records.Increment();
                }

                return Task.CompletedTask;
            }), cancellationToken);

        /// <summary>Writes each block's decrypted JSON to <paramref name="outputDirectory"/> atomically and reports each file.</summary>
        public static Task ReceiveFilesAsync(WeComSession session, WeComExportJob job, string outputDirectory, Action<FileInfo> emit, Action<ReceiveProgress>? progress, CancellationToken cancellationToken) =>
            ReceiveFilesAsync(session, job, outputDirectory, emit, progress, null, cancellationToken);

        /// <summary>As the overload without options; <paramref name="options"/> chooses the temp folder.</summary>
        public static Task ReceiveFilesAsync(WeComSession session, WeComExportJob job, string outputDirectory, Action<FileInfo> emit, Action<ReceiveProgress>? progress, ReceiveOptions? options, CancellationToken cancellationToken) =>
            ReceiveFilesAsync(session, job, outputDirectory, job?.JobId!, emit, progress, options, cancellationToken);

        /// <summary>
        /// As the overload without a prefix, but each file is named <c>{fileNamePrefix}.blockNNNN.json</c>
        /// (<see cref="FileNameFor"/>) instead of after the job id: a snapshot names its files after what they hold.
        /// </summary>
        public static Task ReceiveFilesAsync(WeComSession session, WeComExportJob job, string outputDirectory, string fileNamePrefix, Action<FileInfo> emit, Action<ReceiveProgress>? progress, ReceiveOptions? options, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(outputDirectory))
            {
                throw new ArgumentException("The output directory is empty.", nameof(outputDirectory));
            }

            if (job is null)
            {
                throw new ArgumentNullException(nameof(job));
            }

            if (string.IsNullOrEmpty(fileNamePrefix))
            {
                throw new ArgumentException("The file name prefix is empty.", nameof(fileNamePrefix));
            }

            return ReceiveAsync(session, job, options, progress, (spool, block, key, _) => InBlockAsync(block.Index, async () =>
            {
                // Created only once there is a verified block to put in it.
                OutputFolder.Create(outputDirectory);
                string path = Path.Combine(outputDirectory, FileNameFor(fileNamePrefix, block.Index));
                await BlockDecryption.DecryptToFileAsync(spool, key, job.Kind, path, cancellationToken).ConfigureAwait(false);
                emit(new FileInfo(path));
            }), cancellationToken);
        }

        /// <summary>The block file's name: <paramref name="jobId"/> (the job id, or another prefix) made file-safe, and the block's index.</summary>
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
                    throw new WeComException(WeComErrors.ExportKindMismatch, ex.Message, ex);
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
            ReceiveOptions? options,
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
                WeComErrors.EncodingAesKeyRequired,
                $"Job {job.JobId} carries no EncodingAesKey, so its blocks cannot be decrypted.");

            // Before anything is asked of WeCom: a missing temp folder fails at once.
            string tempDirectory = (options ?? new ReceiveOptions()).ResolveTempDirectory();

            WeComExportResult result = await ExportOperations.GetResultAsync(session, job.JobId, cancellationToken).ConfigureAwait(false);
            job.LastResult = result;
            switch (result.Status)
            {
                case ExportStatus.Failed:
                    throw new WeComExportFailedException($"Export job {job.JobId} failed on WeCom's side (status 3); there is nothing to receive.");
                case ExportStatus.NotStarted:
                case ExportStatus.Processing:
                    throw new WeComException(WeComErrors.ExportNotReady, $"Export job {job.JobId} is still {result.Status}.");
            }

            long downloadedBefore = 0;
            var records = new RecordCounter();
            for (int index = 0; index < result.BlockCount; index++)
            {
                int blockIndex = index;
                long before = downloadedBefore;
                using FileStream spool = SpoolFile.Create(tempDirectory);
                using var download = new BlockDownload(
                    session,
                    result.Blocks[index],
                    spool,
                    tempDirectory,
                    done => progress?.Invoke(new ReceiveProgress(job.JobId, blockIndex, result.BlockCount, before + done, result.TotalSize, records.Value)));
                Task<bool> Download() => session.RetryPolicy.ExecuteAsync($"download of block {blockIndex}", download.AttemptAsync, cancellationToken);
                int renewals = 0;
                bool violated = false;
                while (true)
                {
                    try
                    {
                        await Download().ConfigureAwait(false);
                        break;
                    }
                    catch (Exception ex) when ((IsRefusedUrl(ex) && renewals < MaxUrlRenewals) || (IsProtocolViolation(ex) && !violated))
                    {
                        // Download URLs live two hours: a long receive outlives them, and get_result hands out fresh
                        // ones (a few times per block, bounded). A server that broke the protocol gets one second chance, from zero.
                        bool refused = IsRefusedUrl(ex);
                        renewals += refused ? 1 : 0;
                        violated |= !refused;
                        WeComLog.Verbose(refused
                            ? $"{ex.Message} Download URLs live two hours; fetching fresh ones ({renewals} of at most {MaxUrlRenewals})."
                            : $"{ex.Message} Fetching fresh URLs and trying once more from the start.");
                        WeComExportResult renewed = await ExportOperations.GetResultAsync(session, job.JobId, cancellationToken).ConfigureAwait(false);
                        ThrowUnlessSameBlocks(job.JobId, result, renewed, ex);
                        result = renewed;
                        job.LastResult = result;
                        download.Retarget(result.Blocks[index], keepReceived: refused);
                    }
                }

                WeComExportBlock block = download.Block;
                downloadedBefore += block.Size;
                WeComLog.Verbose(string.Format(CultureInfo.InvariantCulture, "Block {0} of job {1}: {2} bytes, MD5 verified.", block.Index, job.JobId, block.Size));

                using FileStream? decoded = await DecodeIfBase64Async(spool, tempDirectory, block, cancellationToken).ConfigureAwait(false);
                FileStream ciphertext = decoded ?? spool;
                BlockKeyCheck.ThrowIfWrongKey(ciphertext, key);
                await consume(ciphertext, block, key, records).ConfigureAwait(false);
                progress?.Invoke(new ReceiveProgress(job.JobId, block.Index, result.BlockCount, downloadedBefore, result.TotalSize, records.Value));
            }
        }

        /// <summary>
        /// A renewal may change the download URLs, nothing else: a fresh get_result that lists other blocks
        /// (fewer, more, another size or MD5) would turn the receive into a silent short or mixed result.
        /// </summary>
        private static void ThrowUnlessSameBlocks(string jobId, WeComExportResult listed, WeComExportResult renewed, Exception cause)
        {
            string? problem = renewed.Status != ExportStatus.Done ? $"is now {renewed.Status}"
                : renewed.BlockCount != listed.BlockCount ? $"now lists {renewed.BlockCount} blocks instead of {listed.BlockCount}"
                : null;
            for (int i = 0; problem is null && i < listed.BlockCount; i++)
            {
                if (renewed.Blocks[i].Size != listed.Blocks[i].Size || !string.Equals(renewed.Blocks[i].Md5, listed.Blocks[i].Md5, StringComparison.OrdinalIgnoreCase))
                {
                    problem = $"now gives block {i} another size or MD5";
                }
            }

            if (problem is not null)
            {
                throw new WeComException(WeComErrors.InvalidAnswer, $"get_result for {jobId}, asked again for fresh download URLs, {problem}: the export changed under the receive; start the export again.", cause);
            }
        }

        private static bool IsProtocolViolation(Exception ex) =>
            ex is WeComException violation && violation.ErrorId == WeComErrors.DownloadProtocolViolation.ErrorId;

        private static bool IsRefusedUrl(Exception ex) =>
            ex is WeComHttpException { StatusCode: HttpStatusCode.Forbidden or HttpStatusCode.NotFound };

        /// <summary>A verified block served as Base64 text, decoded into a second spool file; null for raw ciphertext.</summary>
        private static async Task<FileStream?> DecodeIfBase64Async(FileStream spool, string tempDirectory, WeComExportBlock block, CancellationToken cancellationToken)
        {
            if (!Base64Block.IsBase64(spool))
            {
                return null;
            }

            WeComLog.Verbose($"Block {block.Index} is Base64 text; decoding it before decryption.");
            FileStream decoded = SpoolFile.Create(tempDirectory);
            try
            {
                await Base64Block.DecodeAsync(spool, new SpoolWriteStream(decoded, tempDirectory), cancellationToken).ConfigureAwait(false);
                decoded.Position = 0;
                // The text is no longer needed: give its disk space back now.
                spool.SetLength(0);
                return decoded;
            }
            catch
            {
                decoded.Dispose();
                throw;
            }
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

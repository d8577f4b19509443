using System;
using System.Collections.Generic;
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
using WeComExport.Internal;
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
        /// <summary>
        /// Streams every record of the job to <paramref name="emit"/>, in block order. <paramref name="progress"/> is never
        /// called by two threads at once, but it may run while <paramref name="emit"/> runs on another thread (the next
        /// block downloads while this one is read): what the two share must be thread-safe.
        /// </summary>
        public static Task ReceiveRecordsAsync(WeComSession session, WeComExportJob job, Action<WeComRecord> emit, Action<ReceiveProgress>? progress, CancellationToken cancellationToken) =>
            ReceiveRecordsAsync(session, job, emit, progress, null, cancellationToken);

        /// <summary>As the overload without options (progress may run beside <paramref name="emit"/>); <paramref name="options"/> chooses the temp folder.</summary>
        public static Task ReceiveRecordsAsync(WeComSession session, WeComExportJob job, Action<WeComRecord> emit, Action<ReceiveProgress>? progress, ReceiveOptions? options, CancellationToken cancellationToken) =>
            ReceiveAsync(session, job, options, progress, (spool, block, key, records) => InBlockAsync(block.Index, () =>
            {
                ReadBlock(session, job, spool, key, records, emit, cancellationToken);
                return Task.CompletedTask;
            }), cancellationToken);

        /// <summary>Decrypts and parses one verified block, handing each record to <paramref name="emit"/> as it is read.</summary>
        private static void ReadBlock(WeComSession session, WeComExportJob job, FileStream spool, EncodingAesKey key, RecordCounter records, Action<WeComRecord> emit, CancellationToken cancellationToken)
        {
            ExportKind kind = job.Kind ?? Sniff(spool, key);
            if (!Enum.IsDefined(typeof(ExportKind), kind))
            {
                throw new ArgumentOutOfRangeException(nameof(job), kind, "The job's export kind is not one of ExportKind's values.");
            }

            spool.Position = 0;
            using Stream plaintext = BlockDecryption.OpenPlaintext(spool, key, leaveOpen: true);
            // The parser itself rather than ExportRecordReader's iterator: one call less per record.
            var parser = new ExportBlockParser(plaintext, kind, job.TagId);
            string corpId = session.CorpId;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                WeComRecord? record = parser.Next();
                if (record is null)
                {
                    break;
                }

                record.CorpId = corpId;
                emit(record);
                records.Increment();
            }
        }

        /// <summary>
        /// Streams every record of the job to <paramref name="emitBatch"/> in arrays of up to <paramref name="batchSize"/>
        /// records, in block order: one hand-off per batch instead of per record, for a consumer on another thread.
        /// Each array is new (the callee may keep it); a block's last records go out when the block ends, never held
        /// back while the next block downloads. As with <see cref="ReceiveRecordsAsync(WeComSession, WeComExportJob, Action{WeComRecord}, Action{ReceiveProgress}, CancellationToken)"/>,
        /// <paramref name="progress"/> may run beside <paramref name="emitBatch"/>.
        /// </summary>
        public static Task ReceiveRecordBatchesAsync(WeComSession session, WeComExportJob job, int batchSize, Action<WeComRecord[]> emitBatch, Action<ReceiveProgress>? progress, ReceiveOptions? options, CancellationToken cancellationToken)
        {
            if (batchSize < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "A batch holds at least one record.");
            }

            if (emitBatch is null)
            {
                throw new ArgumentNullException(nameof(emitBatch));
            }

            var batch = new ItemBatch<WeComRecord>(batchSize, emitBatch);
            return ReceiveAsync(session, job, options, progress, (spool, block, key, records) => InBlockAsync(block.Index, () =>
            {
                try
                {
                    ReadBlock(session, job, spool, key, records, batch.Add, cancellationToken);
                }
                catch
                {
                    // The records before a failure in the block were verified and read, and go out first, as with the
                    // per-record overload; but the block's own error (it names where) is the one reported.
                    try
                    {
                        batch.Flush();
                    }
                    catch (Exception)
                    {
                        // The caller's emit failed too; the block's error stays the one thrown.
                    }

                    throw;
                }

                batch.Flush();

                return Task.CompletedTask;
            }), cancellationToken);
        }

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

            return ReceiveAllOrNoneAsync(session, job, outputDirectory, fileNamePrefix, emit, progress, options, cancellationToken);
        }

        /// <summary>
        /// Each block decrypted into a temporary file beside its name; once every block is in, all are renamed into place and
        /// emitted, in block order. On any failure the temporary files are deleted: the folder never holds some blocks of a
        /// receive, which would read back (Import-WeComExport) as a whole, shorter export; files of an earlier receive stay.
        /// Each staged file stays held (open, shared for reading only) until its rename, as a file being written is, so another
        /// writer's tidy-up never takes it for one left by an ended process.
        /// </summary>
        private static async Task ReceiveAllOrNoneAsync(WeComSession session, WeComExportJob job, string outputDirectory, string fileNamePrefix, Action<FileInfo> emit, Action<ReceiveProgress>? progress, ReceiveOptions? options, CancellationToken cancellationToken)
        {
            var staged = new List<(string Temp, string Path, FileStream Hold)>();
            int published = 0;
            try
            {
                await ReceiveAsync(session, job, options, progress, (spool, block, key, _) => InBlockAsync(block.Index, async () =>
                {
                    // Created only once there is a verified block to put in it.
                    OutputFolder.Create(outputDirectory);
                    string path = Path.Combine(outputDirectory, FileNameFor(fileNamePrefix, block.Index));
                    (string temp, FileStream hold) = await BlockDecryption.DecryptToTempAsync(spool, key, job.Kind, path, cancellationToken).ConfigureAwait(false);
                    staged.Add((temp, path, hold));
                }), cancellationToken).ConfigureAwait(false);

                for (; published < staged.Count; published++)
                {
                    // Renamed while held (on Unix a rename never minds a handle; the hold shares delete for Windows' move).
                    (string temp, string path, FileStream hold) = staged[published];
                    BlockDecryption.Publish(temp, path, hold);
                    hold.Dispose();
                }
            }
            catch
            {
                for (int i = published; i < staged.Count; i++)
                {
                    staged[i].Hold.Dispose();
                    OutputFolder.TryDelete(staged[i].Temp);
                }

                throw;
            }

            foreach ((string _, string path, FileStream _) in staged)
            {
                emit(new FileInfo(path));
            }
        }

        /// <summary>
        /// As <see cref="ReceiveFilesAsync(WeComSession, WeComExportJob, string, string, Action{FileInfo}, Action{ReceiveProgress}, ReceiveOptions, CancellationToken)"/>
        /// for a job of known kind, but each block's records are read as its file is written (<see cref="BlockFileReading"/>, from
        /// <paramref name="newReading"/> per block), and <paramref name="emit"/> gets the file with what the reading found.
        /// </summary>
        internal static Task ReceiveFilesAsync(WeComSession session, WeComExportJob job, string outputDirectory, string fileNamePrefix, Func<BlockFileReading> newReading, Action<FileInfo, BlockFileReading> emit, Action<ReceiveProgress>? progress, ReceiveOptions? options, CancellationToken cancellationToken)
        {
            ExportKind kind = job?.Kind ?? throw new ArgumentException("Reading a block file as it is written needs the job's export kind.", nameof(job));
            return ReceiveAsync(session, job, options, progress, (spool, block, key, _) => InBlockAsync(block.Index, async () =>
            {
                OutputFolder.Create(outputDirectory);
                string path = Path.Combine(outputDirectory, FileNameFor(fileNamePrefix, block.Index));
                BlockFileReading reading = newReading();
                await BlockDecryption.DecryptToFileAsync(spool, key, kind, path, reading, cancellationToken).ConfigureAwait(false);
                emit(new FileInfo(path), reading);
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
                $"Job {job.JobId} came without its EncodingAesKey, so its blocks cannot be decrypted. Only the job object a Start cmdlet writes holds the key; a job id, a result, a notification or a saved copy of the job does not.");

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

            bool oncePerRecord = options?.OncePerRecord == true;
            if (result.BlockCount == 0 && !oncePerRecord)
            {
                WeComLog.Warning($"Export job {job.JobId} is done, but WeCom listed no block for it: there is no record to receive. If records were expected, start the export again.");
            }

            if (result.RepeatedContent() is (int first, int second))
            {
                if (oncePerRecord)
                {
                    throw new WeComException(WeComErrors.InvalidAnswer, $"get_result for job {job.JobId} lists blocks {first} and {second} with the same MD5, the same data twice; a snapshot holds each record once, so none is downloaded.");
                }

                WeComLog.Warning($"Blocks {first} and {second} of export job {job.JobId} have the same MD5: WeCom listed the same data twice, so its records come twice.");
            }

            // Sizes never change (a renewal that changes one is an error), so each block's offset is known now.
            int blockCount = result.BlockCount;
            long totalSize = result.TotalSize;
            var offsets = new long[blockCount + 1];
            for (int i = 0; i < blockCount; i++)
            {
                offsets[i + 1] = offsets[i] + result.Blocks[i].Size;
            }

            var records = new RecordCounter();
            var report = new SerializedProgress(progress);
            using var spools = new SpoolPool(tempDirectory);
            var fetcher = new BlockFetcher(session, job, result, spools, (index, done) =>
                report.Invoke(new ReceiveProgress(job.JobId, index, blockCount, offsets[index] + done, totalSize, records.Value)));

            // Block n+1 downloads (spool and MD5) while block n is decrypted and parsed: the two use different
            // cores. Never more than one block ahead, so at most two blocks are on disk at a time.
            using var lookahead = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task<VerifiedBlock>? next = blockCount > 0 ? FetchInBackground(fetcher, 0, lookahead.Token) : null;
            try
            {
                for (int index = 0; index < blockCount; index++)
                {
                    Task<VerifiedBlock> current = next!;
                    next = null;
                    using VerifiedBlock verified = await current.ConfigureAwait(false);
                    if (index + 1 < blockCount)
                    {
                        next = FetchInBackground(fetcher, index + 1, lookahead.Token);
                    }

                    FileStream ciphertext = verified.Ciphertext;
                    BlockKeyCheck.ThrowIfWrongKey(ciphertext, key);
                    await consume(ciphertext, verified.Block, key, records).ConfigureAwait(false);
                    report.Invoke(new ReceiveProgress(job.JobId, index, blockCount, offsets[index + 1], totalSize, records.Value));
                }
            }
            finally
            {
                if (next is not null)
                {
                    // The receive failed or was stopped: the block fetched ahead is not wanted, and its error (if any) is moot.
                    lookahead.Cancel();
                    try
                    {
                        (await next.ConfigureAwait(false)).Dispose();
                    }
                    catch (Exception)
                    {
                        // Already failing or stopping for another reason.
                    }
                }
            }
        }

        /// <summary>Starts a block's fetch on the thread pool, so not even its first steps run on the consumer's thread.</summary>
        private static Task<VerifiedBlock> FetchInBackground(BlockFetcher fetcher, int index, CancellationToken cancellationToken) =>
            Task.Run(() => fetcher.FetchAsync(index, cancellationToken), cancellationToken);

        /// <summary>A running record count shared by the block consumers and progress reports.</summary>
        private sealed class RecordCounter
        {
            private long value;

            public long Value => Interlocked.Read(ref value);

            public void Increment() => Interlocked.Increment(ref value);
        }
    }
}

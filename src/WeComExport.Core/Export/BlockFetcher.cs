using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Blocks;
using WeComExport.Diagnostics;

namespace WeComExport.Export
{
    /// <summary>
    /// Fetches a finished job's blocks into verified spool files, one call per block: the retry policy's
    /// attempts (resumed with Range), fresh download URLs when one is refused (a few times per block, and
    /// only while get_result still lists the same blocks), and Base64 decoding. Calls must not overlap:
    /// a renewal replaces the job's listing for the blocks that follow.
    /// </summary>
    internal sealed class BlockFetcher
    {
        /// <summary>Fresh URLs fetched for one block whose URL was refused (403/404, or an error page) before the receive gives up.</summary>
        private const int MaxUrlRenewals = 3;

        private readonly WeComSession session;
        private readonly WeComExportJob job;
        private readonly SpoolPool spools;
        private readonly Action<int, long> bytesReceived;
        private WeComExportResult result;

        /// <param name="session">The session whose client, stall timeout and retry policy are used.</param>
        /// <param name="job">The job; a renewal updates its LastResult.</param>
        /// <param name="result">The job's listing: its blocks, URLs, sizes and MD5s.</param>
        /// <param name="spools">Where the spool files come from (and go back to when a block is done with).</param>
        /// <param name="bytesReceived">Told a block's index and the bytes of it held so far, about every MiB.</param>
        public BlockFetcher(WeComSession session, WeComExportJob job, WeComExportResult result, SpoolPool spools, Action<int, long> bytesReceived)
        {
            this.session = session;
            this.job = job;
            this.result = result;
            this.spools = spools;
            this.bytesReceived = bytesReceived;
        }

        /// <summary>Downloads and verifies block <paramref name="index"/>; the caller owns (and disposes) the result.</summary>
        public async Task<VerifiedBlock> FetchAsync(int index, CancellationToken cancellationToken)
        {
            FileStream spool = spools.Rent();
            try
            {
                WeComExportBlock block = await DownloadAsync(index, spool, cancellationToken).ConfigureAwait(false);
                WeComLog.Verbose(string.Format(CultureInfo.InvariantCulture, "Block {0} of job {1}: {2} bytes, MD5 verified.", block.Index, job.JobId, block.Size));
                FileStream? decoded = await DecodeIfBase64Async(spool, block, cancellationToken).ConfigureAwait(false);
                return new VerifiedBlock(block, spool, decoded, spools.Return);
            }
            catch
            {
                spool.Dispose();
                throw;
            }
        }

        private async Task<WeComExportBlock> DownloadAsync(int index, FileStream spool, CancellationToken cancellationToken)
        {
            using var download = new BlockDownload(session, result.Blocks[index], spool, spools.Folder, done => bytesReceived(index, done));
            int renewals = 0;
            bool violated = false;
            while (true)
            {
                try
                {
                    await session.RetryPolicy.ExecuteAsync($"download of block {index}", download.AttemptAsync, cancellationToken).ConfigureAwait(false);
                    return download.Block;
                }
                catch (Exception ex) when ((IsRefusedUrl(ex) && renewals < MaxUrlRenewals) || (IsProtocolViolation(ex) && !violated))
                {
                    // Download URLs live two hours: a long receive outlives them, and get_result hands out fresh
                    // ones (a few times per block, bounded). A server that broke the protocol gets one second chance, from zero.
                    bool refused = IsRefusedUrl(ex);
                    renewals += refused ? 1 : 0;
                    violated |= !refused;
                    WeComLog.Verbose(refused
                        ? $"{ex.Message} Fetching fresh links ({renewals} of at most {MaxUrlRenewals})."
                        : $"{ex.Message} Fetching fresh URLs and trying once more from the start.");
                    WeComExportResult renewed = await ExportOperations.GetResultAsync(session, job.JobId, cancellationToken).ConfigureAwait(false);
                    ThrowUnlessSameBlocks(job.JobId, result, renewed, ex);
                    result = renewed;
                    job.LastResult = renewed;
                    download.Retarget(renewed.Blocks[index], keepReceived: refused);
                }
                catch (Exception ex) when (IsRefusedUrl(ex))
                {
                    // Not a network fault: the server answered, and said no to every fresh link as well.
                    throw new WeComException(
                        WeComErrors.DownloadRefused,
                        $"The download of block {index} of job {job.JobId} was refused again after {MaxUrlRenewals} fresh links from get_result: {ex.Message}",
                        ex);
                }
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

        private static bool IsRefusedUrl(Exception ex) => ex is WeComHttpException { RefusesLink: true };

        /// <summary>A verified block served as Base64 text, decoded into a second spool file; null for raw ciphertext.</summary>
        private async Task<FileStream?> DecodeIfBase64Async(FileStream spool, WeComExportBlock block, CancellationToken cancellationToken)
        {
            if (!Base64Block.IsBase64(spool))
            {
                return null;
            }

            WeComLog.Verbose($"Block {block.Index} is Base64 text; decoding it before decryption.");
            FileStream decoded = SpoolFile.Create(spools.Folder);
            try
            {
                await Base64Block.DecodeAsync(spool, new SpoolWriteStream(decoded, spools.Folder), cancellationToken).ConfigureAwait(false);
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
    }
}

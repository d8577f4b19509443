using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Blocks;
using WeComExport.Diagnostics;
using WeComExport.Internal;

namespace WeComExport.Export
{
    /// <summary>
    /// One block's download into its spool file, over as many attempts as the retry policy allows. A
    /// broken attempt keeps what arrived: the next one asks for the rest with HTTP Range and the MD5
    /// continues where it stopped. Only a block that fails its MD5, a server that answers a Range with
    /// the whole block, or an error page whose start is what was kept, starts again from zero. At most one
    /// byte past the announced size is read, or a page's most (64 KiB) of an answer that starts like one.
    /// </summary>
    internal sealed class BlockDownload : IDisposable
    {
        private readonly WeComSession session;
        private readonly FileStream spool;
        private readonly SpoolWriteStream writer;
        private readonly Action<long> bytesReceived;
        private BlockReceipt receipt;

        /// <param name="session">The session whose client, stall timeout and retry policy are used.</param>
        /// <param name="block">The block as get_result announced it.</param>
        /// <param name="spool">A spool file at position 0 (it may hold older bytes: they are written over); on success it holds exactly the verified block.</param>
        /// <param name="folder">The spool file's folder, for messages.</param>
        /// <param name="bytesReceived">Told the bytes of the block held so far, about every MiB.</param>
        public BlockDownload(WeComSession session, WeComExportBlock block, FileStream spool, string folder, Action<long> bytesReceived)
        {
            this.session = session;
            this.spool = spool;
            this.bytesReceived = bytesReceived;
            writer = new SpoolWriteStream(spool, folder);
            Block = block;
            receipt = new BlockReceipt(block.Size, block.Index);
        }

        public WeComExportBlock Block { get; private set; }

        /// <summary>
        /// Points the download at the block as a fresh get_result announced it. What arrived is kept only when
        /// <paramref name="keepReceived"/> and the block's size and MD5 are unchanged.
        /// </summary>
        public void Retarget(WeComExportBlock fresh, bool keepReceived)
        {
            bool same = fresh.Size == Block.Size && string.Equals(fresh.Md5, Block.Md5, StringComparison.OrdinalIgnoreCase);
            Block = fresh;
            if (!keepReceived || !same)
            {
                receipt.Dispose();
                receipt = new BlockReceipt(fresh.Size, fresh.Index);
            }
        }

        /// <summary>
        /// One attempt: fetches what is missing and verifies size and MD5. Throws <see cref="WeComHttpException"/>
        /// for a broken transfer (resumed next time), <see cref="BlockIntegrityException"/> for a wrong MD5
        /// (downloaded again from zero next time), WeComDownloadProtocolViolation for a server that breaks the
        /// download protocol, and a <see cref="WeComHttpException"/> that <see cref="WeComHttpException.RefusesLink"/>
        /// for a link refused (403, 404, an error page; the caller fetches a fresh one). The bool is for the retry policy.
        /// </summary>
        public async Task<bool> AttemptAsync(CancellationToken cancellationToken)
        {
            if (receipt.Remaining > 0)
            {
                await FetchRestAsync(cancellationToken).ConfigureAwait(false);
            }

            if (receipt.Remaining > 0)
            {
                throw new WeComHttpException(string.Format(CultureInfo.InvariantCulture, "The download of block {0} ended after {1} of {2} bytes.", Block.Index, receipt.Received, Block.Size), statusCode: null);
            }

            // Complete() also empties the receipt: a block that fails its MD5, resumed or not, is fetched again from zero.
            BlockChecksum checksum = receipt.Complete();
            BlockIntegrity.Verify(checksum, Block.Size, Block.Md5, Block.Index);

            // The file is exactly the verified bytes: nothing written before them (an earlier attempt, an earlier block) is read.
            writer.CutTo(checksum.Size);
            return true;
        }

        /// <summary>
        /// The rate a download must keep up over each stall timeout (2 minutes by default: 61,440 bytes) to count as
        /// moving; a slower one is abandoned and resumed like a silent one, so no rate can hold a receive for ever.
        /// </summary>
        internal const int MinimumBytesPerSecond = 512;

        public void Dispose() => receipt.Dispose();

        private static WeComException Violation(string message) => BlockReceipt.Violation(message);

        private async Task FetchRestAsync(CancellationToken cancellationToken)
        {
            // Written over whatever the file holds from here on (a broken attempt's uncounted bytes, a reused spool's
            // last block): pages already there are cheaper to write into than new ones. Cut to size once verified.
            long offset = receipt.Received;
            spool.Position = offset;
            TimeSpan timeout = session.DownloadStallTimeout;
            // A stalled connection must not hang an unattended runbook: the clock restarts whenever reads have
            // brought a timeout's worth of MinimumBytesPerSecond (or the rest of the block), so a link that drips a
            // byte at a time stalls too; when it runs out the response is disposed, which also unblocks a read that
            // ignores cancellation (.NET Framework).
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stall.CancelAfter(timeout);
            long progressFrom = offset;
            long enough = Math.Max(1, (long)(MinimumBytesPerSecond * timeout.TotalSeconds));
            void HeldSoFar(long held)
            {
                if (held - progressFrom >= Math.Min(enough, Block.Size - progressFrom))
                {
                    progressFrom = held;
                    stall.CancelAfter(timeout);
                }
            }

            try
            {
                using HttpResponseMessage response = await session.Api.OpenDownloadAsync(Block.Url, offset, stall.Token).ConfigureAwait(false);
                using CancellationTokenRegistration unblock = stall.Token.Register(response.Dispose);
                using Stream body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                Uri answeredBy = response.RequestMessage?.RequestUri ?? Block.Url;
                // Looked at before Accept, which would forget what a resume kept, or call a page longer than a tiny block a violation.
                Stream source = RefusalPage.IsLookedAtFirst(response, offset, Block.Size)
                    ? await ReadUnlessErrorPageAsync(body, offset, answeredBy, response.Content.Headers.ContentLength, read => HeldSoFar(offset + read), stall.Token).ConfigureAwait(false)
                    : body;
                Accept(response, offset);
                // A resume answered with the whole block starts the count again from zero.
                progressFrom = receipt.Received;
                await receipt.AppendAsync(source, writer, () => HeldSoFar(receipt.Received), bytesReceived, stall.Token).ConfigureAwait(false);
                if (source == body && response.StatusCode == HttpStatusCode.OK && receipt.Remaining > 0 && receipt.Received <= RefusalPage.MaxPageBytes)
                {
                    // A whole-block answer that ended short: the spool holds all of it (Accept started it at 0). An error
                    // page there is a refused link, not the start of the block to resume with Range.
                    ThrowIfErrorPageInSpool(answeredBy);
                }
            }
            catch (WeComHttpException ex) when (offset > 0 && ex.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                receipt.Reset();
                throw new WeComHttpException($"The download of block {Block.Index} refused to resume at byte {offset} (HTTP 416); it starts again from zero.", null, ex);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or ObjectDisposedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                string why = stall.IsCancellationRequested
                    ? string.Format(CultureInfo.InvariantCulture, "less than {0:N0} bytes came in {1:0.#} s (at least {2} bytes a second are needed)", Math.Min(enough, Block.Size - progressFrom), timeout.TotalSeconds, MinimumBytesPerSecond)
                    : Redactor.Redact(ex.Message);
                throw new WeComHttpException(string.Format(CultureInfo.InvariantCulture, "The download of block {0} broke off after {1} of {2} bytes: {3}", Block.Index, receipt.Received, Block.Size, why), null, ex);
            }
        }

        /// <summary>
        /// A small answer read into memory, each read told to <paramref name="readSoFar"/> (the stall rule): to what it
        /// announced, or with no length to one byte past the block, and past the block's size only while it looks like a
        /// page (then to one byte past a page's most). An error page there is a refused link; anything else is handed
        /// on, and the receipt refuses what goes past the block.
        /// </summary>
        private async Task<Stream> ReadUnlessErrorPageAsync(Stream body, long offset, Uri answeredBy, long? announced, Action<long> readSoFar, CancellationToken cancellationToken)
        {
            int limit = (int)(announced ?? RefusalPage.MaxPageBytes + 1);
            byte[] answer = new byte[limit];
            int held = 0;
            async Task ReadToAsync(int end)
            {
                int read;
                while (held < end && (read = await body.ReadAsync(answer, held, end - held, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    held += read;
                    readSoFar(held);
                }
            }

            await ReadToAsync((int)Math.Min(limit, Block.Size + 1)).ConfigureAwait(false);
            if (held > Block.Size && RefusalPage.StartsLikePage(answer, held))
            {
                await ReadToAsync(limit).ConfigureAwait(false);
            }

            if (held != Block.Size)
            {
                // Bytes kept from an earlier attempt that are the start of this same page go too (a page cut short before).
                ThrowIfErrorPage(answer, held, answeredBy, forget: offset > 0 && SpoolStartsWith(answer, (int)Math.Min(offset, held)));
            }

            return new MemoryStream(answer, 0, held, writable: false);
        }

        /// <summary>The spool's first <paramref name="count"/> bytes, read back (at most a page's worth).</summary>
        private byte[] SpoolStart(int count)
        {
            byte[] start = new byte[count];
            spool.Position = 0;
            Array.Resize(ref start, StreamFill.Fill(spool, start, count));
            return start;
        }

        private bool SpoolStartsWith(byte[] answer, int count)
        {
            byte[] kept = SpoolStart(count);
            return kept.Length == count && kept.AsSpan().SequenceEqual(answer.AsSpan(0, count));
        }

        private void ThrowIfErrorPageInSpool(Uri answeredBy)
        {
            byte[] start = SpoolStart((int)receipt.Received);
            ThrowIfErrorPage(start, start.Length, answeredBy, forget: true);
        }

        /// <summary>
        /// Throws the refusal when the first <paramref name="length"/> bytes of <paramref name="answer"/> are an error page,
        /// forgetting what the receipt holds when <paramref name="forget"/>. <paramref name="answeredBy"/> is the address
        /// that answered (the last redirect hop): its secrets are masked too where the page echoes them.
        /// </summary>
        private void ThrowIfErrorPage(byte[] answer, int length, Uri answeredBy, bool forget)
        {
            if (RefusalPage.Describe(answer, length, Block.Url, answeredBy) is not string what)
            {
                return;
            }

            if (forget)
            {
                receipt.Reset();
            }

            throw WeComHttpException.ErrorPageForDownload(string.Format(CultureInfo.InvariantCulture, "The download of block {0} was answered HTTP 200 with {1} in place of the block's {2} bytes.", Block.Index, what, Block.Size));
        }

        /// <summary>Checks the response's headers before its body is read; restarts the receipt when a resume was answered with the whole block.</summary>
        private void Accept(HttpResponseMessage response, long offset)
        {
            HttpContentHeaders headers = response.Content.Headers;
            foreach (string coding in headers.ContentEncoding)
            {
                if (!string.Equals(coding, "identity", StringComparison.OrdinalIgnoreCase))
                {
                    throw Violation($"The download of block {Block.Index} came with Content-Encoding: {coding}, which was not asked for; the announced size and MD5 are of the block's own bytes.");
                }
            }

            if (offset > 0 && response.StatusCode == HttpStatusCode.OK)
            {
                WeComLog.Verbose($"The server answered the resume of block {Block.Index} with the whole block; reading it again from the start.");
                // Written over from the start, like a reused spool; the file is cut to the verified size at the end.
                receipt.Reset();
                spool.Position = 0;
                offset = 0;
            }
            else if (offset > 0)
            {
                ContentRangeHeaderValue? range = headers.ContentRange;
                bool matches = response.StatusCode == HttpStatusCode.PartialContent && range is { HasRange: true } &&
                    string.Equals(range.Unit, "bytes", StringComparison.OrdinalIgnoreCase) &&
                    range.From == offset && range.To == Block.Size - 1 && (!range.HasLength || range.Length == Block.Size);
                if (!matches)
                {
                    throw Violation(string.Format(CultureInfo.InvariantCulture, "The resume of block {0} asked for bytes {1}-{2} and was answered HTTP {3} with Content-Range '{4}'.", Block.Index, offset, Block.Size - 1, (int)response.StatusCode, range));
                }
            }
            else if (response.StatusCode != HttpStatusCode.OK)
            {
                throw Violation($"The download of block {Block.Index} answered HTTP {(int)response.StatusCode} to a request for the whole block.");
            }

            long expected = Block.Size - offset;
            if (headers.ContentLength is long length && length > expected)
            {
                throw Violation(string.Format(CultureInfo.InvariantCulture, "The download of block {0} announced Content-Length {1}, more than the {2} bytes asked for (get_result announced {3}); none of it was kept.", Block.Index, length, expected, Block.Size));
            }

            if (headers.ContentLength is long shorter && shorter < expected)
            {
                // A body cut short (a proxy or cache serving part of the object) ends as a broken transfer would: what
                // came is kept and the rest asked for with Range; the MD5 of the whole block still decides.
                WeComLog.Verbose(string.Format(CultureInfo.InvariantCulture, "The download of block {0} announced Content-Length {1}, fewer than the {2} bytes asked for: reading what it has.", Block.Index, shorter, expected));
            }
        }
    }
}

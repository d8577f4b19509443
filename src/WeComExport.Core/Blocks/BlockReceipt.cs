using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;

namespace WeComExport.Blocks
{
    /// <summary>
    /// What has arrived of one block so far, over one or more responses: the byte count and the
    /// running MD5. It outlives a broken response, so a resumed download (HTTP Range) continues the
    /// hash where it stopped. It never takes more than the announced size: the read buffer is capped
    /// to what remains plus one byte, and that one byte more is a protocol violation.
    /// </summary>
    internal sealed class BlockReceipt : IDisposable
    {

        private const int CopyBufferSize = 81920;

        // Progress is reported about every 1 MiB: often enough for Write-Progress, rare enough to cost nothing.
        private const long ProgressInterval = 1 << 20;

        private readonly int blockIndex;
        private IncrementalHash md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);

        /// <param name="expectedSize">The size get_result announced; nothing beyond it is accepted.</param>
        /// <param name="blockIndex">The block's index, for messages.</param>
        public BlockReceipt(long expectedSize, int blockIndex)
        {
            ExpectedSize = expectedSize >= 0 ? expectedSize : throw new ArgumentOutOfRangeException(nameof(expectedSize));
            this.blockIndex = blockIndex;
        }

        public long ExpectedSize { get; }

        /// <summary>Bytes received, hashed and written so far.</summary>
        public long Received { get; private set; }

        public long Remaining => ExpectedSize - Received;

        /// <summary>
        /// Appends <paramref name="source"/> to what was received, writing it to <paramref name="destination"/>
        /// and hashing it. Calls <paramref name="dataArrived"/> after every read that returned bytes, and
        /// <paramref name="bytesReceived"/> with the running total about every MiB and once at the end.
        /// Throws a <see cref="WeComException"/> (<c>WeComDownloadProtocolViolation</c>) at the first byte past the expected size.
        /// </summary>
        public async Task AppendAsync(Stream source, Stream destination, Action? dataArrived, Action<long>? bytesReceived, CancellationToken ct)
        {
            if (source is null)
            {
                throw new ArgumentNullException(nameof(source));
            }

            if (destination is null)
            {
                throw new ArgumentNullException(nameof(destination));
            }

            // MD5 runs at about the speed of a loopback or LAN download, so it runs beside the reads: chunk k is
            // hashed on the thread pool while chunk k+1 is read and written (two buffers, one hash in flight).
            byte[] current = new byte[CopyBufferSize];
            byte[] other = new byte[CopyBufferSize];
            Task hashing = Task.CompletedTask;
            long lastReported = Received;
            try
            {
                int read;
                while ((read = await source.ReadAsync(current, 0, ReadSize(current.Length), ct).ConfigureAwait(false)) > 0)
                {
                    if (read > Remaining)
                    {
                        throw Violation($"The download of block {blockIndex} went on past the {ExpectedSize} bytes get_result announced; the rest was not read.");
                    }

                    // Written before it is counted: a write cut short leaves extra bytes in the file, which the
                    // next attempt trims to Received, never bytes that are counted but missing.
                    await destination.WriteAsync(current, 0, read, ct).ConfigureAwait(false);
                    await hashing.ConfigureAwait(false);
                    hashing = HashInBackground(current, read);
                    (current, other) = (other, current);
                    Received += read;
                    dataArrived?.Invoke();
                    if (bytesReceived is not null && Received - lastReported >= ProgressInterval)
                    {
                        bytesReceived(Received);
                        lastReported = Received;
                    }
                }

                await destination.FlushAsync(ct).ConfigureAwait(false);
            }
            finally
            {
                // Every counted byte is hashed before the receipt is used again (a resume continues this hash).
                await hashing.ConfigureAwait(false);
            }

            bytesReceived?.Invoke(Received);
        }

        private Task HashInBackground(byte[] buffer, int count)
        {
            IncrementalHash hash = md5;
            return Task.Run(() => hash.AppendData(buffer, 0, count));
        }

        /// <summary>The size and MD5 of everything received; the receipt starts again from zero afterwards.</summary>
        public BlockChecksum Complete()
        {
            var checksum = new BlockChecksum(Received, BlockIntegrity.ToHex(md5.GetHashAndReset()));
            Received = 0;
            return checksum;
        }

        /// <summary>Forgets what was received: the next bytes are the block's first.</summary>
        public void Reset()
        {
            md5.Dispose();
            md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            Received = 0;
        }

        public void Dispose() => md5.Dispose();

        /// <summary>
        /// The error for a server that breaks the download protocol (more bytes than announced, another
        /// Content-Length or range than asked for, an encoding not asked for). Not a network hiccup, so the
        /// backoff policy does not retry it; the receiver fetches fresh URLs and tries once more from zero.
        /// </summary>
        internal static WeComException Violation(string message) => new(WeComErrors.DownloadProtocolViolation, message);

        // What remains plus one, so that one byte too many is seen without reading further.
        private int ReadSize(int bufferLength) => Remaining >= bufferLength ? bufferLength : (int)Remaining + 1;
    }
}

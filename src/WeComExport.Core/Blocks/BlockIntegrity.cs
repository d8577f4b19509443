using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace WeComExport.Blocks
{
    /// <summary>
    /// Spools a block's ciphertext while measuring it, then checks size and MD5 against get_result,
    /// so that no record of a damaged block is ever emitted.
    /// </summary>
    public static class BlockIntegrity
    {
        private const int CopyBufferSize = 81920;

        // Progress is reported about every 1 MiB: often enough for Write-Progress, rare enough to cost nothing.
        private const long ProgressInterval = 1 << 20;

        /// <summary>
        /// Copies <paramref name="source"/> to <paramref name="destination"/>, hashing as it goes, and calls
        /// <paramref name="bytesCopied"/> with the running total now and then and once at the end.
        /// </summary>
        public static async Task<BlockChecksum> CopyAndHashAsync(Stream source, Stream destination, Action<long>? bytesCopied, CancellationToken ct)
        {
            if (source is null)
            {
                throw new ArgumentNullException(nameof(source));
            }

            if (destination is null)
            {
                throw new ArgumentNullException(nameof(destination));
            }

            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var buffer = new byte[CopyBufferSize];
            long total = 0;
            long lastReported = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false)) > 0)
            {
                md5.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer, 0, read, ct).ConfigureAwait(false);
                total += read;
                if (bytesCopied is not null && total - lastReported >= ProgressInterval)
                {
                    bytesCopied(total);
                    lastReported = total;
                }
            }

            await destination.FlushAsync(ct).ConfigureAwait(false);
            bytesCopied?.Invoke(total);
            return new BlockChecksum(total, ToHex(md5.GetHashAndReset()));
        }

        /// <summary>Throws <see cref="BlockIntegrityException"/> unless the block has the announced size and MD5 (hex, any case).</summary>
        public static void Verify(BlockChecksum actual, long expectedSize, string expectedMd5Hex, int blockIndex)
        {
            if (actual is null)
            {
                throw new ArgumentNullException(nameof(actual));
            }

            if (expectedMd5Hex is null)
            {
                throw new ArgumentNullException(nameof(expectedMd5Hex));
            }

            string expectedMd5 = expectedMd5Hex.Trim().ToLowerInvariant();
            if (actual.Size != expectedSize || !string.Equals(actual.Md5Hex, expectedMd5, StringComparison.Ordinal))
            {
                throw new BlockIntegrityException(blockIndex, expectedSize, actual.Size, expectedMd5, actual.Md5Hex);
            }
        }

        internal static string ToHex(byte[] bytes)
        {
            const string Digits = "0123456789abcdef";
            var chars = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = Digits[bytes[i] >> 4];
                chars[(2 * i) + 1] = Digits[bytes[i] & 0xF];
            }

            return new string(chars);
        }
    }
}

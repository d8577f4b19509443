using System;
using System.IO;
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
        /// <summary>
        /// Copies <paramref name="source"/> to <paramref name="destination"/>, hashing as it goes, and calls
        /// <paramref name="bytesCopied"/> with the running total now and then and once at the end.
        /// Copies everything the source holds; a download reads through <see cref="BlockReceipt"/>, which stops at the announced size.
        /// </summary>
        public static async Task<BlockChecksum> CopyAndHashAsync(Stream source, Stream destination, Action<long>? bytesCopied, CancellationToken ct)
        {
            using var receipt = new BlockReceipt(long.MaxValue, blockIndex: -1);
            await receipt.AppendAsync(source, destination, null, bytesCopied, ct).ConfigureAwait(false);
            return receipt.Complete();
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

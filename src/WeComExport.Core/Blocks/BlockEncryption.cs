using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Crypto;

namespace WeComExport.Blocks
{
    /// <summary>
    /// The inverse of <see cref="BlockDecryption"/>: encrypts a block the way WeCom does (AES-256-CBC,
    /// IV = key[0..16], PKCS#7 to 32 bytes), streaming, for the emulator and for tests of large blocks.
    /// </summary>
    public static class BlockEncryption
    {
        private const int ChunkSize = 64 * 1024;

        /// <summary>Encrypts all of <paramref name="plaintext"/> into <paramref name="ciphertext"/>; returns the ciphertext length.</summary>
        public static async Task<long> EncryptAsync(Stream plaintext, Stream ciphertext, EncodingAesKey key, CancellationToken ct)
        {
            if (plaintext is null)
            {
                throw new ArgumentNullException(nameof(plaintext));
            }

            if (ciphertext is null)
            {
                throw new ArgumentNullException(nameof(ciphertext));
            }

            using var aes = WeComCipher.CreateAes(key);
            // CA5401: WeCom's protocol fixes the IV to the key's first 16 bytes; it is not ours to choose.
#pragma warning disable CA5401
            using var encryptor = aes.CreateEncryptor();
#pragma warning restore CA5401
            var input = new byte[ChunkSize + WeComCipher.PadBlockSize];
            var output = new byte[input.Length];
            int count = 0;
            long total = 0;
            int read;
            while ((read = await plaintext.ReadAsync(input, count, ChunkSize - count, ct).ConfigureAwait(false)) > 0)
            {
                count += read;
                total += read;
                if (count == ChunkSize)
                {
                    // ChunkSize is a multiple of 32, so whole chunks never need padding.
                    int written = encryptor.TransformBlock(input, 0, count, output, 0);
                    await ciphertext.WriteAsync(output, 0, written, ct).ConfigureAwait(false);
                    count = 0;
                }
            }

            int pad = WeComCipher.PadLength(total);
            for (int i = 0; i < pad; i++)
            {
                input[count + i] = (byte)pad;
            }

            byte[] last = encryptor.TransformFinalBlock(input, 0, count + pad);
            await ciphertext.WriteAsync(last, 0, last.Length, ct).ConfigureAwait(false);
            await ciphertext.FlushAsync(ct).ConfigureAwait(false);
            return total + pad;
        }
    }
}

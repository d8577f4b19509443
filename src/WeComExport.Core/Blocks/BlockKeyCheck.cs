using System;
using System.IO;
using WeComExport.Crypto;
using WeComExport.Internal;

namespace WeComExport.Blocks
{
    /// <summary>
    /// Tells a wrong key from damaged JSON before a block is parsed: with the right key the last two
    /// AES blocks end in valid 32-byte PKCS#7 padding and the first one starts a JSON object. A wrong
    /// key passes both by chance about once in 65,000 blocks; the parser catches what is left.
    /// CBC lets each end be decrypted alone, with the preceding ciphertext block as its IV.
    /// </summary>
    public static class BlockKeyCheck
    {
        private const int AesBlock = 16;

        /// <summary>Throws <see cref="WeComCryptoException"/> when <paramref name="ciphertext"/> (seekable) cannot be this key's block; leaves the position at 0.</summary>
        public static void ThrowIfWrongKey(Stream ciphertext, EncodingAesKey key)
        {
            if (ciphertext is null)
            {
                throw new ArgumentNullException(nameof(ciphertext));
            }

            long length = ciphertext.Length;
            if (length < WeComCipher.PadBlockSize || length % AesBlock != 0)
            {
                throw new WeComCryptoException($"The block is {length} bytes long: not whole AES blocks of at least one 32-byte padded unit, so it cannot be WeCom ciphertext.");
            }

            using var aes = WeComCipher.CreateAes(key);
            byte[] tail = ReadAt(ciphertext, length - WeComCipher.PadBlockSize, WeComCipher.PadBlockSize);
            aes.IV = length > WeComCipher.PadBlockSize ? ReadAt(ciphertext, length - WeComCipher.PadBlockSize - AesBlock, AesBlock) : key.GetIV();
            byte[] plainTail = Decrypt(aes, tail);
            try
            {
                WeComCipher.CheckPadding(plainTail, plainTail.Length);
            }
            catch (WeComCryptoException ex)
            {
                throw new WeComCryptoException("The block does not decrypt with this EncodingAESKey (its padding is invalid): it is not the key the export was started with.", ex);
            }

            aes.IV = key.GetIV();
            byte[] head = Decrypt(aes, ReadAt(ciphertext, 0, AesBlock));
            // JSON may open with a UTF-8 byte order mark and white space before its '{'.
            int first = JsonWhiteSpace.FirstSignificant(head);
            if (first == head.Length || head[first] != (byte)'{')
            {
                throw new WeComCryptoException("The block does not decrypt to JSON with this EncodingAESKey: it is not the key the export was started with.");
            }

            ciphertext.Position = 0;
        }

        private static byte[] Decrypt(System.Security.Cryptography.Aes aes, byte[] data)
        {
            using var decryptor = aes.CreateDecryptor();
            return decryptor.TransformFinalBlock(data, 0, data.Length);
        }

        private static byte[] ReadAt(Stream stream, long offset, int count)
        {
            var buffer = new byte[count];
            stream.Position = offset;
            if (StreamFill.Fill(stream, buffer, count) != count)
            {
                throw new EndOfStreamException("The block ended early.");
            }

            return buffer;
        }
    }
}

using System;
using System.Security.Cryptography;

namespace WeComExport.Crypto
{
    /// <summary>
    /// WeCom's AES-256-CBC: IV = first 16 key bytes, PKCS#7 padding to a multiple of 32 bytes
    /// (pad values 1..32, which a stock 16-byte unpadder rejects), so padding is done here by hand.
    /// </summary>
    public static class WeComCipher
    {
        public const int PadBlockSize = 32;

        /// <summary>An AES transform with no padding of its own; the caller owns the 32-byte PKCS#7 rule.</summary>
        public static Aes CreateAes(EncodingAesKey key)
        {
            if (key is null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            var aes = Aes.Create();
            aes.Mode = CipherMode.CBC;
            aes.Padding = PaddingMode.None;
            aes.Key = key.GetKeyBytes();
            aes.IV = key.GetIV();
            return aes;
        }

        /// <summary>Pads to a multiple of 32 (a full 32-byte pad when already aligned) and encrypts.</summary>
        public static byte[] Encrypt(EncodingAesKey key, byte[] plaintext)
        {
            if (plaintext is null)
            {
                throw new ArgumentNullException(nameof(plaintext));
            }

            int pad = PadLength(plaintext.Length);
            var padded = new byte[plaintext.Length + pad];
            Buffer.BlockCopy(plaintext, 0, padded, 0, plaintext.Length);
            for (int i = plaintext.Length; i < padded.Length; i++)
            {
                padded[i] = (byte)pad;
            }

            using var aes = CreateAes(key);
            // CA5401: WeCom's protocol fixes the IV to the key's first 16 bytes; it is not ours to choose.
#pragma warning disable CA5401
            using var encryptor = aes.CreateEncryptor();
#pragma warning restore CA5401
            return encryptor.TransformFinalBlock(padded, 0, padded.Length);
        }

        /// <summary>Decrypts a whole message and strips its 32-byte PKCS#7 padding.</summary>
        public static byte[] Decrypt(EncodingAesKey key, byte[] ciphertext)
        {
            if (ciphertext is null)
            {
                throw new ArgumentNullException(nameof(ciphertext));
            }

            if (ciphertext.Length == 0 || ciphertext.Length % 16 != 0)
            {
                throw new WeComCryptoException($"The ciphertext is {ciphertext.Length} bytes long, not a non-zero multiple of the AES block size (16).");
            }

            using var aes = CreateAes(key);
            using var decryptor = aes.CreateDecryptor();
            byte[] padded = decryptor.TransformFinalBlock(ciphertext, 0, ciphertext.Length);
            int pad = CheckPadding(padded, padded.Length);
            var plain = new byte[padded.Length - pad];
            Buffer.BlockCopy(padded, 0, plain, 0, plain.Length);
            return plain;
        }

        /// <summary>How many pad bytes a message of <paramref name="length"/> bytes gets: 1..32.</summary>
        public static int PadLength(long length) => PadBlockSize - (int)(length % PadBlockSize);

        /// <summary>
        /// Validates the padding at the end of <paramref name="buffer"/>[0..<paramref name="length"/>) and returns its length.
        /// </summary>
        public static int CheckPadding(byte[] buffer, int length)
        {
            if (buffer is null)
            {
                throw new ArgumentNullException(nameof(buffer));
            }

            if (length <= 0)
            {
                throw new WeComCryptoException("The decrypted data is empty, so it has no PKCS#7 padding: wrong key or damaged data.");
            }

            int pad = buffer[length - 1];
            if (pad < 1 || pad > PadBlockSize || pad > length)
            {
                throw new WeComCryptoException($"The decrypted data ends in an invalid PKCS#7 pad value ({pad}): wrong key or damaged data.");
            }

            for (int i = length - pad; i < length; i++)
            {
                if (buffer[i] != pad)
                {
                    throw new WeComCryptoException("The decrypted data has inconsistent PKCS#7 padding bytes: wrong key or damaged data.");
                }
            }

            return pad;
        }
    }
}

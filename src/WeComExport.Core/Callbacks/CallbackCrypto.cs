using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using WeComExport.Crypto;

namespace WeComExport.Callbacks
{
    /// <summary>
    /// WeCom's callback message crypto (the "WXBizMsgCrypt" scheme): SHA-1 signatures over the sorted
    /// [token, timestamp, nonce, encrypt], and AES-256-CBC of random(16) + length(4, big-endian) + msg + receiveid.
    /// Encrypt lives beside Decrypt so that the emulator and the tests use the same framing rule.
    /// </summary>
    public static class CallbackCrypto
    {
        private const int RandomPrefixLength = 16;
        private const int LengthFieldSize = 4;

        /// <summary>Lower-case hex SHA-1 of the sorted, concatenated strings.</summary>
        public static string Sign(string token, string timestamp, string nonce, string encrypt)
        {
            string[] parts = { token ?? string.Empty, timestamp ?? string.Empty, nonce ?? string.Empty, encrypt ?? string.Empty };
            Array.Sort(parts, StringComparer.Ordinal);
#pragma warning disable CA5350 // WeCom's protocol fixes SHA-1 for callback signatures.
            using var sha1 = SHA1.Create();
#pragma warning restore CA5350
            byte[] hash = sha1.ComputeHash(Encoding.UTF8.GetBytes(string.Concat(parts)));
            return string.Concat(hash.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }

        /// <summary>Checks a signature in constant time (no early exit on the first differing character).</summary>
        public static bool VerifySignature(string signature, string token, string timestamp, string nonce, string encrypt)
        {
            byte[] expected = Encoding.ASCII.GetBytes(Sign(token, timestamp, nonce, encrypt));
            byte[] actual = Encoding.ASCII.GetBytes((signature ?? string.Empty).ToLowerInvariant());
            int diff = expected.Length ^ actual.Length;
            for (int i = 0; i < expected.Length; i++)
            {
                diff |= expected[i] ^ (i < actual.Length ? actual[i] : 0);
            }

            return diff == 0;
        }

        /// <summary>Encrypts <paramref name="message"/> for <paramref name="receiveId"/> and returns the Base64 ciphertext.</summary>
        public static string Encrypt(EncodingAesKey key, string message, string receiveId, byte[]? randomPrefix = null)
        {
            if (message is null)
            {
                throw new ArgumentNullException(nameof(message));
            }

            byte[] prefix = randomPrefix ?? NewRandomPrefix();
            if (prefix.Length != RandomPrefixLength)
            {
                throw new ArgumentException("The random prefix must be 16 bytes.", nameof(randomPrefix));
            }

            byte[] msg = Encoding.UTF8.GetBytes(message);
            byte[] rid = Encoding.UTF8.GetBytes(receiveId ?? string.Empty);
            var plain = new byte[RandomPrefixLength + LengthFieldSize + msg.Length + rid.Length];
            Buffer.BlockCopy(prefix, 0, plain, 0, RandomPrefixLength);
            plain[16] = (byte)(msg.Length >> 24);
            plain[17] = (byte)(msg.Length >> 16);
            plain[18] = (byte)(msg.Length >> 8);
            plain[19] = (byte)msg.Length;
            Buffer.BlockCopy(msg, 0, plain, RandomPrefixLength + LengthFieldSize, msg.Length);
            Buffer.BlockCopy(rid, 0, plain, RandomPrefixLength + LengthFieldSize + msg.Length, rid.Length);
            return Convert.ToBase64String(WeComCipher.Encrypt(key, plain));
        }

        /// <summary>Decrypts a Base64 ciphertext into its message and receiveid. Throws <see cref="CallbackCryptoException"/> with WeCom's reference error code.</summary>
        public static CallbackPlaintext Decrypt(EncodingAesKey key, string encryptedBase64)
        {
            byte[] cipher;
            try
            {
                cipher = Convert.FromBase64String(encryptedBase64 ?? string.Empty);
            }
            catch (FormatException ex)
            {
                throw new CallbackCryptoException(CallbackCryptoException.Base64DecodeFailed, "The encrypted message is not valid Base64.", ex);
            }

            byte[] plain;
            try
            {
                plain = WeComCipher.Decrypt(key, cipher);
            }
            catch (WeComCryptoException ex)
            {
                throw new CallbackCryptoException(CallbackCryptoException.DecryptFailed, "The message could not be decrypted: " + ex.Message, ex);
            }

            if (plain.Length < RandomPrefixLength + LengthFieldSize)
            {
                throw new CallbackCryptoException(CallbackCryptoException.IllegalBuffer, "The decrypted message is too short to hold its length field.");
            }

            long length = ((long)plain[16] << 24) | ((long)plain[17] << 16) | ((long)plain[18] << 8) | plain[19];
            int start = RandomPrefixLength + LengthFieldSize;
            if (length > plain.Length - start)
            {
                throw new CallbackCryptoException(CallbackCryptoException.IllegalBuffer, $"The message's length field ({length}) points past the decrypted data ({plain.Length - start} bytes).");
            }

            var utf8 = new UTF8Encoding(false, true);
            try
            {
                string message = utf8.GetString(plain, start, (int)length);
                string receiveId = utf8.GetString(plain, start + (int)length, plain.Length - start - (int)length);
                return new CallbackPlaintext(message, receiveId);
            }
            catch (DecoderFallbackException ex)
            {
                throw new CallbackCryptoException(CallbackCryptoException.DecryptFailed, "The decrypted message is not valid UTF-8.", ex);
            }
        }

        private static byte[] NewRandomPrefix()
        {
            var prefix = new byte[RandomPrefixLength];
            using var rng = RandomNumberGenerator.Create();
            rng.GetBytes(prefix);
            return prefix;
        }
    }
}

using System;
using System.Security.Cryptography;

namespace WeComExport.Crypto
{
    /// <summary>
    /// A WeCom EncodingAESKey: 43 characters of a-z A-Z 0-9, the Base64 of a 32-byte AES key
    /// without its trailing '='. Used both as an export job's key and as a callback key.
    /// This is the one place that knows the key rules; the text never shows in ToString().
    /// </summary>
    public sealed class EncodingAesKey
    {
        public const int TextLength = 43;
        private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

        private readonly string text;

        private EncodingAesKey(string text)
        {
            this.text = text;
        }

        /// <summary>Returns why <paramref name="text"/> is not a valid key, or null when it is. Never quotes the key.</summary>
        public static string? Validate(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return "The EncodingAESKey is empty: it must be exactly 43 characters of a-z, A-Z and 0-9.";
            }

            if (text!.Length != TextLength)
            {
                return $"The EncodingAESKey has {text.Length} characters: it must be exactly 43 characters of a-z, A-Z and 0-9.";
            }

            foreach (char c in text)
            {
                if (Alphabet.IndexOf(c) < 0)
                {
                    return "The EncodingAESKey holds a character outside a-z, A-Z and 0-9.";
                }
            }

            return null;
        }

        public static bool IsValid(string? text) => Validate(text) is null;

        /// <summary>Parses a key, throwing <see cref="ArgumentException"/> with a message that does not reveal it.</summary>
        public static EncodingAesKey Parse(string? text)
        {
            string? problem = Validate(text);
            if (problem is not null)
            {
                throw new ArgumentException(problem, nameof(text));
            }

            return new EncodingAesKey(text!);
        }

        /// <summary>Parses a key, or returns null with the reason (which never quotes the key).</summary>
        public static EncodingAesKey? TryParse(string? text, out string? problem)
        {
            problem = Validate(text);
            return problem is null ? new EncodingAesKey(text!) : null;
        }

        /// <summary>A new key from a cryptographic RNG, each character uniform over the 62-character alphabet.</summary>
        public static EncodingAesKey Generate()
        {
            var chars = new char[TextLength];
            var buffer = new byte[64];
            int filled = 0;
            using (var rng = RandomNumberGenerator.Create())
            {
                while (filled < TextLength)
                {
                    rng.GetBytes(buffer);
                    foreach (byte b in buffer)
                    {
                        // Rejection sampling: 248 = 4 * 62, so every accepted byte maps to a character without bias.
                        if (b < 248 && filled < TextLength)
                        {
                            chars[filled++] = Alphabet[b % Alphabet.Length];
                        }
                    }
                }
            }

            return new EncodingAesKey(new string(chars));
        }

        /// <summary>The 32-byte AES key: Base64Decode(text + "="), decoded leniently (the last character's low bits need not be zero).</summary>
        public byte[] GetKeyBytes() => Convert.FromBase64String(text + "=");

        /// <summary>The CBC IV: the first 16 bytes of the AES key.</summary>
        public byte[] GetIV()
        {
            var iv = new byte[16];
            Array.Copy(GetKeyBytes(), iv, iv.Length);
            return iv;
        }

        /// <summary>The key's text, for sending it to WeCom or showing it on explicit request. Handle with care.</summary>
        public string Reveal() => text;

        public override string ToString() => "EncodingAesKey(hidden)";
    }
}

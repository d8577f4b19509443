using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace WeComExport.Blocks
{
    /// <summary>
    /// Blocks served as Base64 text (a sister product with the same encryption does this): a verified block
    /// whose bytes are all Base64 characters (line breaks allowed), with '=' only as its last one or two, and
    /// that decodes to whole AES blocks is decoded before it is decrypted. Raw ciphertext passes that test
    /// with a chance of about (67/256)^n for n bytes: below 2^-60 for the smallest block (32 bytes), never for real ones.
    /// Both passes stream: memory does not depend on the block's size.
    /// </summary>
    internal static class Base64Block
    {
        private const int BufferSize = 1 << 16;
        private const int AesBlockSize = 16;

        /// <summary>Whether the whole of <paramref name="block"/> (seekable) is Base64 text of whole AES blocks; leaves it at position 0.</summary>
        public static bool IsBase64(Stream block)
        {
            if (block is null)
            {
                throw new ArgumentNullException(nameof(block));
            }

            block.Position = 0;
            try
            {
                // Raw ciphertext fails on one of its first bytes, so this reads a whole block only when it is text.
                var buffer = new byte[BufferSize];
                long characters = 0;
                int padding = 0;
                int read;
                while ((read = block.Read(buffer, 0, buffer.Length)) > 0)
                {
                    for (int i = 0; i < read; i++)
                    {
                        byte b = buffer[i];
                        if (b is (byte)'\r' or (byte)'\n')
                        {
                            continue;
                        }

                        if (b == (byte)'=')
                        {
                            padding++;
                        }
                        else if (padding > 0 || !IsAlphabet(b))
                        {
                            return false;
                        }

                        characters++;
                    }
                }

                return characters > 0 && characters % 4 == 0 && padding <= 2 && ((characters / 4 * 3) - padding) % AesBlockSize == 0;
            }
            finally
            {
                block.Position = 0;
            }
        }

        /// <summary>Decodes the Base64 text of <paramref name="text"/> (seekable, checked with <see cref="IsBase64"/>) into <paramref name="destination"/>.</summary>
        public static async Task DecodeAsync(Stream text, Stream destination, CancellationToken ct)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            if (destination is null)
            {
                throw new ArgumentNullException(nameof(destination));
            }

            text.Position = 0;
            var input = new byte[BufferSize];
            // Up to 3 characters of an unfinished quartet wait for the next read.
            var characters = new char[BufferSize + 3];
            int held = 0;
            int read;
            while ((read = await text.ReadAsync(input, 0, input.Length, ct).ConfigureAwait(false)) > 0)
            {
                for (int i = 0; i < read; i++)
                {
                    if (input[i] is not ((byte)'\r' or (byte)'\n'))
                    {
                        characters[held++] = (char)input[i];
                    }
                }

                int whole = held - (held % 4);
                if (whole > 0)
                {
                    byte[] bytes = Convert.FromBase64CharArray(characters, 0, whole);
                    await destination.WriteAsync(bytes, 0, bytes.Length, ct).ConfigureAwait(false);
                    Array.Copy(characters, whole, characters, 0, held - whole);
                    held -= whole;
                }
            }

            if (held != 0)
            {
                throw new FormatException("The Base64 block ends inside a group of four characters.");
            }

            await destination.FlushAsync(ct).ConfigureAwait(false);
            text.Position = 0;
        }

        private static bool IsAlphabet(byte b) =>
            b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'+' or (byte)'/';
    }
}

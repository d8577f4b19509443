using System;
using System.Buffers.Text;
using System.IO;
using System.Security.Cryptography;

namespace WeComExport.Emulator.Jobs
{
    /// <summary>
    /// Rewrites an encrypted block file as Base64 text (one line, no breaks), the way a sister product
    /// serves its blocks (--block-encoding base64); get_result then announces the size and MD5 of the text.
    /// Streams in 48 KB pieces.
    /// </summary>
    internal static class Base64BlockFile
    {
        private const int RawChunk = 48 * 1024;

        public static (long Size, string Md5) Encode(string path)
        {
            string text = path + ".b64";
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            long size = 0;
            using (var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0))
            using (var output = new FileStream(text, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                byte[] raw = new byte[RawChunk];
                byte[] encoded = new byte[Base64.GetMaxEncodedToUtf8Length(RawChunk)];
                int read;
                while ((read = input.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false)) > 0)
                {
                    Base64.EncodeToUtf8(raw.AsSpan(0, read), encoded, out _, out int written, isFinalBlock: read < raw.Length);
                    output.Write(encoded, 0, written);
                    md5.AppendData(encoded, 0, written);
                    size += written;
                }
            }

            File.Move(text, path, overwrite: true);
            return (size, Convert.ToHexStringLower(md5.GetHashAndReset()));
        }
    }
}

using System;
using System.IO;
using WeComExport.Crypto;
using WeComExport.Internal;

namespace WeComExport.Tests.Blocks
{
    /// <summary>Appends WeCom's 32-byte PKCS#7 padding to a stream of unknown length as it is read.</summary>
    internal sealed class PaddingReadStream : ForwardReadStream
    {
        private readonly Stream source;
        private long length;
        private byte[]? padding;
        private int paddingOffset;

        public PaddingReadStream(Stream source)
        {
            this.source = source;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (padding is null)
            {
                int read = source.Read(buffer, offset, count);
                if (read > 0)
                {
                    length += read;
                    return read;
                }

                int pad = WeComCipher.PadLength(length);
                padding = new byte[pad];
                Array.Fill(padding, (byte)pad);
            }

            int n = Math.Min(count, padding.Length - paddingOffset);
            Array.Copy(padding, paddingOffset, buffer, offset, n);
            paddingOffset += n;
            return n;
        }
    }
}

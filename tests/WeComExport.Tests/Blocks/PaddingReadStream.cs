using System;
using System.IO;
using WeComExport.Crypto;

namespace WeComExport.Tests.Blocks
{
    /// <summary>Appends WeCom's 32-byte PKCS#7 padding to a stream of unknown length as it is read.</summary>
    internal sealed class PaddingReadStream : Stream
    {
        private readonly Stream source;
        private long length;
        private byte[]? padding;
        private int paddingOffset;

        public PaddingReadStream(Stream source)
        {
            this.source = source;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
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

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

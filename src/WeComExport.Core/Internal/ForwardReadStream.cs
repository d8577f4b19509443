using System;
using System.IO;

namespace WeComExport.Internal
{
    /// <summary>
    /// A stream that is only read, front to back (a decryption, a copy, a test's trickle): what is not reading is
    /// refused in one place, so each such stream is its Read and what it does with the bytes.
    /// </summary>
    internal abstract class ForwardReadStream : Stream
    {
        public override bool CanRead => true;

        public sealed override bool CanSeek => false;

        public sealed override bool CanWrite => false;

        public sealed override long Length => throw new NotSupportedException();

        public sealed override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public sealed override void Flush()
        {
        }

        public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public sealed override void SetLength(long value) => throw new NotSupportedException();

        public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

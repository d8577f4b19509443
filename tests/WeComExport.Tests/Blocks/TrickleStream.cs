using System;
using System.IO;

namespace WeComExport.Tests.Blocks
{
    /// <summary>A read-only stream over bytes that returns at most <c>maxRead</c> bytes per Read, to put chunk boundaries everywhere.</summary>
    internal sealed class TrickleStream : Stream
    {
        private readonly byte[] data;
        private readonly int maxRead;
        private int position;

        public TrickleStream(byte[] data, int maxRead)
        {
            this.data = data;
            this.maxRead = maxRead;
        }

        public int ReadCalls { get; private set; }

        public bool Disposed { get; private set; }

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
            ReadCalls++;
            int n = Math.Min(Math.Min(count, maxRead), data.Length - position);
            Array.Copy(data, position, buffer, offset, n);
            position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}

using System;
using System.IO;

namespace WeComExport.Internal
{
    /// <summary>A forward read stream that writes every byte read from the inner stream to a sink as well: one pass both reads and saves.</summary>
    internal sealed class CopyingReadStream : Stream
    {
        private readonly Stream inner;
        private readonly Stream sink;

        public CopyingReadStream(Stream inner, Stream sink)
        {
            this.inner = inner ?? throw new ArgumentNullException(nameof(inner));
            this.sink = sink ?? throw new ArgumentNullException(nameof(sink));
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

        /// <summary>Reads (and copies) what is left of the inner stream.</summary>
        public void Drain() => StreamDrain.ReadToEnd(this);

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = inner.Read(buffer, offset, count);
            if (read > 0)
            {
                sink.Write(buffer, offset, read);
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

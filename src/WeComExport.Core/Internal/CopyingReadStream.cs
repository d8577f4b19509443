using System;
using System.IO;

namespace WeComExport.Internal
{
    /// <summary>A forward read stream that writes every byte read from the inner stream to a sink as well: one pass both reads and saves.</summary>
    internal sealed class CopyingReadStream : ForwardReadStream
    {
        private readonly Stream inner;
        private readonly Stream sink;

        public CopyingReadStream(Stream inner, Stream sink)
        {
            this.inner = inner ?? throw new ArgumentNullException(nameof(inner));
            this.sink = sink ?? throw new ArgumentNullException(nameof(sink));
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
    }
}

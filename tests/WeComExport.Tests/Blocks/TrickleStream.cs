using System;
using System.IO;
using WeComExport.Internal;

namespace WeComExport.Tests.Blocks
{
    /// <summary>A read-only stream over bytes that returns at most <c>maxRead</c> bytes per Read, to put chunk boundaries everywhere.</summary>
    internal sealed class TrickleStream : ForwardReadStream
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

        public override int Read(byte[] buffer, int offset, int count)
        {
            ReadCalls++;
            int n = Math.Min(Math.Min(count, maxRead), data.Length - position);
            Array.Copy(data, position, buffer, offset, n);
            position += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}

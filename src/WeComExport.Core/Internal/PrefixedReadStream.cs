using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace WeComExport.Internal
{
    /// <summary>Bytes already read from a stream, then the rest of it: a look at a body's start costs no second request.</summary>
    internal sealed class PrefixedReadStream : ForwardReadStream
    {
        private readonly byte[] prefix;
        private readonly int prefixLength;
        private readonly Stream rest;
        private int prefixRead;

        public PrefixedReadStream(byte[] prefix, int prefixLength, Stream rest)
        {
            this.prefix = prefix ?? throw new ArgumentNullException(nameof(prefix));
            this.prefixLength = prefixLength;
            this.rest = rest ?? throw new ArgumentNullException(nameof(rest));
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            prefixRead < prefixLength ? FromPrefix(buffer, offset, count) : rest.Read(buffer, offset, count);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            prefixRead < prefixLength ? Task.FromResult(FromPrefix(buffer, offset, count)) : rest.ReadAsync(buffer, offset, count, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                rest.Dispose();
            }

            base.Dispose(disposing);
        }

        private int FromPrefix(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, prefixLength - prefixRead);
            Buffer.BlockCopy(prefix, prefixRead, buffer, offset, n);
            prefixRead += n;
            return n;
        }
    }
}

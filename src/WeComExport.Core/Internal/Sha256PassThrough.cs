using System;
using System.IO;
using System.Security.Cryptography;
using WeComExport.Blocks;

namespace WeComExport.Internal
{
    /// <summary>
    /// A forward stream over another that SHA-256-hashes and counts every byte read from it or written to it,
    /// so a file's manifest entry comes from the one pass that writes or reads it. It never closes the inner stream.
    /// </summary>
    internal sealed class Sha256PassThrough : Stream
    {
        private readonly Stream inner;
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public Sha256PassThrough(Stream inner) => this.inner = inner ?? throw new ArgumentNullException(nameof(inner));

        /// <summary>Bytes that passed through.</summary>
        public long Count { get; private set; }

        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => Count;

        public override long Position
        {
            get => Count;
            set => throw new NotSupportedException();
        }

        /// <summary>The SHA-256 of every byte that passed through, lower-case hex (once: the hash restarts after).</summary>
        public string Sha256Hex() => BlockIntegrity.ToHex(hash.GetHashAndReset());

        /// <summary>Reads (and hashes) what is left of the inner stream.</summary>
        public void Drain() => StreamDrain.ReadToEnd(this);

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = inner.Read(buffer, offset, count);
            if (read > 0)
            {
                hash.AppendData(buffer, offset, read);
                Count += read;
            }

            return read;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            hash.AppendData(buffer, offset, count);
            Count += count;
        }

        public override void Flush() => inner.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;

namespace WeComExport.Export
{
    /// <summary>
    /// Passes writes to the spool file and turns a local write failure (a full temp disk) into its
    /// own error, so it is neither retried nor reported as a broken download.
    /// </summary>
    internal sealed class SpoolWriteStream : Stream
    {
        private readonly Stream spool;

        public SpoolWriteStream(Stream spool) => this.spool = spool;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => spool.Length;

        public override long Position
        {
            get => spool.Position;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            try
            {
                spool.Write(buffer, offset, count);
            }
            catch (IOException ex)
            {
                throw Failed(ex);
            }
        }

        public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            try
            {
                await spool.WriteAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw Failed(ex);
            }
        }

        public override void Flush() => spool.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private static WeComException Failed(IOException ex) => new(
            "WeComSpoolWriteFailed",
            WeComErrorKind.LocalWrite,
            $"A downloaded block could not be written to the temp folder ({Path.GetTempPath()}): {ex.Message}",
            "Free space in the temp folder, or point TMP/TEMP at a folder with room for one block (up to about 1 GB).",
            ex);
    }
}

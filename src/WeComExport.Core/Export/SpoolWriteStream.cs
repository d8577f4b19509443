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
        private readonly string folder;

        /// <param name="spool">The spool file.</param>
        /// <param name="folder">The temp folder it is in, for the message of a failure.</param>
        public SpoolWriteStream(Stream spool, string folder)
        {
            this.spool = spool;
            this.folder = folder;
        }

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
                throw Failed(folder, ex);
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
                throw Failed(folder, ex);
            }
        }

        /// <summary>Empties the write buffer into the file (not to the disk: a spool is never needed after a crash).</summary>
        public override void Flush()
        {
            try
            {
                spool.Flush();
            }
            catch (IOException ex)
            {
                // Counted bytes that never reached the file must not pass for a broken download: a resume would
                // leave a hole (or, in a reused spool, an earlier block's bytes) under a verified MD5.
                throw Failed(folder, ex);
            }
        }

        /// <summary>Cuts the spool to the <paramref name="length"/> verified bytes, after emptying the write buffer.</summary>
        public void CutTo(long length)
        {
            Flush();
            try
            {
                spool.SetLength(length);
            }
            catch (IOException ex)
            {
                throw Failed(folder, ex);
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        /// <summary>The error for a spool file that cannot be created or written in <paramref name="folder"/>.</summary>
        internal static WeComException Failed(string folder, IOException ex) => new(
            WeComErrors.SpoolWriteFailed,
            $"A downloaded block could not be written to the temp folder ({folder}): {ex.Message}",
            ex);
    }
}

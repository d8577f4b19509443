using System;
using System.IO;

namespace WeComExport.Export
{
    /// <summary>
    /// A block whose size and MD5 are verified, held in an unlinked spool file; <see cref="Ciphertext"/> is
    /// the spool itself, or a second spool of the decoded bytes for a block served as Base64 text.
    /// Disposing it closes the decoded spool (giving its disk space back) and hands the spool itself to
    /// <c>release</c> (its pool, which reuses it for a later block or closes it).
    /// </summary>
    internal sealed class VerifiedBlock : IDisposable
    {
        private readonly FileStream spool;
        private readonly FileStream? decoded;
        private readonly Action<FileStream> release;
        private bool disposed;

        public VerifiedBlock(WeComExportBlock block, FileStream spool, FileStream? decoded, Action<FileStream> release)
        {
            Block = block;
            this.spool = spool;
            this.decoded = decoded;
            this.release = release;
        }

        /// <summary>The block as the last get_result announced it.</summary>
        public WeComExportBlock Block { get; }

        /// <summary>The raw ciphertext, read from the start by the consumer.</summary>
        public FileStream Ciphertext => decoded ?? spool;

        public void Dispose()
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            decoded?.Dispose();
            release(spool);
        }
    }
}

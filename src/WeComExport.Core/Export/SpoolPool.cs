using System;
using System.Collections.Generic;
using System.IO;

namespace WeComExport.Export
{
    /// <summary>
    /// The spool files of one receive, reused from block to block: a block written over the bytes of the one before
    /// lands in pages the system already holds, instead of new pages for every block (a new file costs about 1.5 s of
    /// kernel time per GB on the 2-core VM here, writing over one about 0.1 s). A spool handed out may hold a
    /// previous block's bytes past its end; the download cuts it to the verified size. At most two are kept (the block
    /// being read and the one fetched ahead); all are closed, and so deleted, when the receive ends.
    /// </summary>
    internal sealed class SpoolPool : IDisposable
    {
        private const int MaxIdle = 2;

        private readonly string folder;
        private readonly Stack<FileStream> idle = new();
        private bool disposed;

        public SpoolPool(string folder) => this.folder = folder;

        /// <summary>The spool files' folder.</summary>
        public string Folder => folder;

        /// <summary>A spool file for one block: one given back earlier, else a new one (<see cref="SpoolFile.Create"/>).</summary>
        public FileStream Rent()
        {
            lock (idle)
            {
                if (disposed)
                {
                    throw new ObjectDisposedException(nameof(SpoolPool));
                }

                if (idle.Count > 0)
                {
                    FileStream spool = idle.Pop();
                    spool.Position = 0;
                    return spool;
                }
            }

            return SpoolFile.Create(folder);
        }

        /// <summary>Takes back a spool whose block is done with; closes it when the receive has ended or enough are kept.</summary>
        public void Return(FileStream spool)
        {
            lock (idle)
            {
                if (!disposed && idle.Count < MaxIdle)
                {
                    idle.Push(spool);
                    return;
                }
            }

            spool.Dispose();
        }

        public void Dispose()
        {
            lock (idle)
            {
                disposed = true;
                while (idle.Count > 0)
                {
                    idle.Pop().Dispose();
                }
            }
        }
    }
}

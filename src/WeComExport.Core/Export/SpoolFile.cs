using System;
using System.IO;
using System.Runtime.InteropServices;

namespace WeComExport.Export
{
    /// <summary>
    /// The temp files a block is spooled to. Nothing is left behind, whatever ends the process: on Unix
    /// the file is unlinked as soon as it is open (the open handle keeps the data until it is closed);
    /// on Windows, where an open file cannot be deleted, the system deletes it when its last handle
    /// closes (<see cref="FileOptions.DeleteOnClose"/>), also when the process is killed.
    /// </summary>
    internal static class SpoolFile
    {
        private const int BufferSize = 1 << 16;

        /// <summary>A new, empty, read-write spool file in <paramref name="folder"/> that has no name left to clean up.</summary>
        public static FileStream Create(string folder)
        {
            string path = Path.Combine(folder, "WeComExport-" + Guid.NewGuid().ToString("N") + ".block");
            bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            FileStream spool;
            try
            {
                spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize, windows ? FileOptions.DeleteOnClose : FileOptions.None);
            }
            catch (IOException ex)
            {
                throw SpoolWriteStream.Failed(folder, ex);
            }

            if (!windows)
            {
                try
                {
                    File.Delete(path);
                }
                catch
                {
                    // Not unlinked (it stays, as any temp file would): close it and say why.
                    spool.Dispose();
                    throw;
                }
            }

            return spool;
        }
    }
}

using System.IO;

namespace WeComExport.Internal
{
    /// <summary>
    /// Whether a path may be opened for reading without blocking. A named pipe (FIFO) blocks an open for reading until
    /// a writer comes, which may be never; a pipe, a device or a socket has no size, and so has an empty file. None of
    /// these is a block file or a manifest, so a file of size 0 is never opened: it is reported as empty instead.
    /// </summary>
    internal static class ReadableFile
    {
        /// <summary>True when <paramref name="path"/> has a size: a regular file with bytes in it.</summary>
        public static bool HasBytes(string path) => new FileInfo(path).Length > 0;

        /// <summary>The words for a path <see cref="HasBytes"/> refused.</summary>
        public const string EmptyOrSpecial = "is empty, or is not a regular file (a pipe, a device or a socket)";
    }
}

using System;
using System.IO;
using System.Runtime.InteropServices;

namespace WeComExport.Internal
{
    /// <summary>
    /// Whether a path may be opened for reading without blocking. A named pipe (FIFO) blocks an open for reading until
    /// a writer comes, which may be never; a pipe, a device or a socket has no size, and so has an empty file. None of
    /// these is a block file or a manifest, so a file of size 0 is never opened: it is reported as empty instead. A
    /// symbolic link is judged by the file it finally points to.
    /// </summary>
    internal static class ReadableFile
    {
        /// <summary>The words for a path that is no regular file with bytes in it.</summary>
        public const string EmptyOrSpecial = "is empty, or is not a regular file (a pipe, a device or a socket)";

        /// <summary>True when <paramref name="path"/> (or the file a link at it finally points to) is a regular file with bytes in it.</summary>
        public static bool HasBytes(string path) => Refusal(path) is null;

        /// <summary>
        /// Null when <paramref name="path"/> may be opened; else why not: <see cref="EmptyOrSpecial"/>, or a link that leads
        /// nowhere.
        /// </summary>
        public static string? Refusal(string path)
        {
            var file = new FileInfo(path);
            if ((file.Attributes & FileAttributes.ReparsePoint) == 0)
            {
                return file.Length > 0 ? null : EmptyOrSpecial;
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                // A link's own size is 0 on Windows, and NTFS has no named pipes among its files: the open cannot block.
                return null;
            }

            // A link's own size is the length of the path it holds: size the file it finally points to (none for a loop,
            // whose end is still a link).
            var target = new FileInfo(RealPath.Of(file.FullName));
            return !target.Exists || (target.Attributes & FileAttributes.ReparsePoint) != 0
                ? "is a symbolic link that leads to nothing (its target is missing, or the links loop)"
                : target.Length > 0 ? null : EmptyOrSpecial;
        }
    }
}

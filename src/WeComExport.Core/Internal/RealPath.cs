using System;
using System.IO;
using System.Reflection;

namespace WeComExport.Internal
{
    /// <summary>
    /// A full path with every symbolic link along it resolved, so that two names of one file (a link to a snapshot
    /// folder beside the folder itself, as a "latest" link is) compare as one. Hard links are not told apart.
    /// </summary>
    internal static class RealPath
    {
        // FileSystemInfo.ResolveLinkTarget(bool) of .NET 6 and later (pwsh 7); on .NET Framework paths stay as given.
        private static readonly MethodInfo? ResolveLinkTarget = typeof(FileSystemInfo).GetMethod("ResolveLinkTarget", new[] { typeof(bool) });

        /// <summary>
        /// What the link <paramref name="link"/> finally points to (through a chain of links); null where links cannot be
        /// resolved here (.NET Framework) or this one cannot be followed (a loop, no access).
        /// </summary>
        public static FileSystemInfo? FinalTarget(FileSystemInfo link)
        {
            try
            {
                return ResolveLinkTarget?.Invoke(link, new object[] { true }) as FileSystemInfo;
            }
            catch (TargetInvocationException e) when (e.InnerException is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        public static string Of(string fullPath)
        {
            if (ResolveLinkTarget is null)
            {
                return fullPath;
            }

            string root = Path.GetPathRoot(fullPath) ?? string.Empty;
            string current = root;
            foreach (string part in fullPath.Substring(root.Length).Split(new[] { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries))
            {
                current = Path.Combine(current, part);
                FileSystemInfo item = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
                if (!item.Exists || (item.Attributes & FileAttributes.ReparsePoint) == 0)
                {
                    continue;
                }

                // A link that cannot be followed keeps its own name.
                current = FinalTarget(item)?.FullName ?? current;
            }

            return current;
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace WeComExport.Internal
{
    /// <summary>
    /// A full path with every symbolic link along it resolved, as realpath(3) does, so that two names of one file (a link
    /// to a snapshot folder beside the folder itself, as a "latest" link is) compare as one. Hard links are not told
    /// apart.
    /// </summary>
    internal static class RealPath
    {
        // The most links followed for one path, as Linux's limit for a lookup: past it (a loop) the path stays as reached.
        private const int MaxLinks = 40;

        // FileSystemInfo.LinkTarget of .NET 6 and later (pwsh 7): one hop, as the link holds it. The Core also runs on
        // .NET Framework, where paths stay as given.
        private static readonly PropertyInfo? LinkTarget = typeof(FileSystemInfo).GetProperty("LinkTarget");

        private static readonly char[] Separators = { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar };

        /// <summary><paramref name="fullPath"/> with its links resolved, one part at a time, a relative target taken from the link's own folder.</summary>
        public static string Of(string fullPath)
        {
            if (LinkTarget is null)
            {
                return fullPath;
            }

            string root = Path.GetPathRoot(fullPath) ?? string.Empty;
            var parts = new List<string>(fullPath.Substring(root.Length).Split(Separators, StringSplitOptions.RemoveEmptyEntries));
            string resolved = root;
            int links = 0;
            for (int i = 0; i < parts.Count; i++)
            {
                string part = parts[i];
                if (part == ".")
                {
                    continue;
                }

                if (part == "..")
                {
                    resolved = Path.GetDirectoryName(resolved) ?? resolved;
                    continue;
                }

                string candidate = Path.Combine(resolved, part);
                string? target = links < MaxLinks ? TargetOf(candidate) : null;
                if (target is null)
                {
                    resolved = candidate;
                    continue;
                }

                // Go on from the link's target: its parts replace the link's name, from a new root when it is absolute.
                links++;
                if (Path.IsPathRooted(target))
                {
                    resolved = Path.GetPathRoot(target) ?? resolved;
                    target = target.Substring(resolved.Length);
                }

                parts.InsertRange(i + 1, target.Split(Separators, StringSplitOptions.RemoveEmptyEntries));
            }

            return resolved;
        }

        // The text of the link at path; null when no link is there (or it cannot be read).
        private static string? TargetOf(string path)
        {
            var item = new FileInfo(path);
            FileAttributes attributes = item.Attributes;
            if ((int)attributes == -1 || (attributes & FileAttributes.ReparsePoint) == 0)
            {
                return null;
            }

            try
            {
                return LinkTarget!.GetValue(item) as string;
            }
            catch (TargetInvocationException e) when (e.InnerException is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using WeComExport.Api;
using WeComExport.Blocks;
using WeComExport.Diagnostics;
using WeComExport.Internal;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// Where a snapshot is written and how it replaces the previous one. It is built in a staging folder beside
    /// the target, <c>.{name}.{machine}.{pid}.{guid}.wecomexport-staging</c> (0700 on Unix), and only when complete
    /// renamed into place; a previous snapshot is first renamed aside to <c>.{name}.{machine}.{pid}.{guid}.wecomexport-old</c>
    /// and deleted after. Both names carry their writer, as <see cref="OutputFolder"/>'s temporary files do, so that
    /// the next snapshot into the same parent can tidy up after a writer on this machine that has ended.
    /// </summary>
    internal static class SnapshotFolder
    {
        // E_ACCESSDENIED: how Windows reports a denied move (as an IOException).
        private const int AccessDeniedHResult = unchecked((int)0x80070005);

        internal const string StagingSuffix = ".wecomexport-staging";
        internal const string AsideSuffix = ".wecomexport-old";

        private static readonly Regex OursName = new(
            @"^\.(?<name>.+)\." + OutputFolder.OwnerPattern + @"(?<suffix>" + Regex.Escape(StagingSuffix) + "|" + Regex.Escape(AsideSuffix) + ")$",
            RegexOptions.CultureInvariant);

        /// <summary>The snapshot folder whose staging folder <paramref name="folder"/> is (a write in progress, or one a killed export left); null when it is none.</summary>
        public static string? StagingFor(string folder)
        {
            Match match = OursName.Match(Path.GetFileName(WithoutTrailingSeparator(folder)));
            return match.Success && match.Groups["suffix"].Value == StagingSuffix
                ? Path.Combine(Path.GetDirectoryName(WithoutTrailingSeparator(folder))!, match.Groups["name"].Value)
                : null;
        }

        /// <summary>The target as a full path without trailing separators; refuses a blank, relative or root path.</summary>
        public static string Normalize(string path)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new WeComException(WeComErrors.InvalidSnapshotPath, "The snapshot folder's path is blank.");
            }

            if (!Path.IsPathRooted(path))
            {
                // A relative path would be taken from the process's working folder, which a PowerShell user does not see.
                throw new WeComException(WeComErrors.InvalidSnapshotPath, $"The snapshot folder '{path}' is not a full path.");
            }

            string full = WithoutTrailingSeparator(Path.GetFullPath(path));
            string root = Path.GetPathRoot(full) ?? string.Empty;
            if (full.Length <= root.Length || Path.GetDirectoryName(full) is null)
            {
                throw new WeComException(WeComErrors.InvalidSnapshotPath, $"The snapshot folder '{full}' is a file-system root; a snapshot replaces its folder as a whole.");
            }

            // The staging and set-aside folders beside it carry its name and about 70 more characters: a name that fits
            // the file system alone would fail halfway, as an IOError, when they are made.
            string stagingPath = NameBeside(full, OutputFolder.CurrentProcessId, StagingSuffix);
            string beside = Path.GetFileName(stagingPath);
            int length = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? beside.Length : Encoding.UTF8.GetByteCount(beside);
            if (length > MaxNameLength)
            {
                throw new WeComException(
                    WeComErrors.InvalidSnapshotPath,
                    string.Format(CultureInfo.InvariantCulture, "The snapshot folder's name '{0}' is too long: the staging folder written beside it adds about 70 characters, and its name may have at most {1} {2}. Choose a name about {3} shorter.", Path.GetFileName(full), MaxNameLength, RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "characters" : "bytes (UTF-8)", length - MaxNameLength));
            }

            // .NET Framework (Windows PowerShell 5.1) refuses a whole path of 260 characters or more; the files written in
            // the staging folder, temporary names included, take up to about 120 more.
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal) && stagingPath.Length + FramedFileRoom >= FrameworkMaxPath)
            {
                throw new WeComException(
                    WeComErrors.InvalidSnapshotPath,
                    string.Format(CultureInfo.InvariantCulture, "The snapshot folder's path '{0}' is too long for Windows PowerShell 5.1, which refuses paths of {1} characters or more: with the staging folder beside it and the files in that, it would reach about {2}. Choose a path about {3} characters shorter, or use PowerShell 7.", full, FrameworkMaxPath, stagingPath.Length + FramedFileRoom, stagingPath.Length + FramedFileRoom - FrameworkMaxPath + 1));
            }

            return full;
        }

        // The longest file name on the file systems in use (NTFS: 255 UTF-16 units; ext4, APFS, XFS: 255 bytes).
        private const int MaxNameLength = 255;

        // MAX_PATH of .NET Framework without long-path support, and the room a file in the staging folder takes in it.
        private const int FrameworkMaxPath = 260;
        private const int FramedFileRoom = 120;

        /// <summary>A full path without a trailing separator, so that "snap/" and "snap" are one folder; a root keeps its own.</summary>
        internal static string WithoutTrailingSeparator(string fullPath)
        {
            string root = Path.GetPathRoot(fullPath) ?? string.Empty;
            string trimmed = fullPath.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            return trimmed.Length < root.Length ? fullPath.Substring(0, root.Length) : trimmed;
        }

        /// <summary>Compares full paths as the file system does: case-blind on Windows and macOS, exact elsewhere.</summary>
        public static StringComparer PathComparer { get; } =
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

        /// <summary>
        /// Throws <see cref="WeComErrors.SnapshotPathInUse"/> unless <paramref name="path"/> is absent, an empty folder, a
        /// snapshot folder (its manifest.json is a snapshot manifest: a web app's manifest.json is not), or, with
        /// <paramref name="force"/>, any other folder. A file, a
        /// symbolic link or junction is always refused: replacing it would not replace what it points to.
        /// </summary>
        public static void CheckTarget(string path, bool force)
        {
            if (File.Exists(path))
            {
                throw new WeComException(WeComErrors.SnapshotPathInUse, $"'{path}' is a file, not a folder; it is left as it is.");
            }

            if (!Directory.Exists(path))
            {
                return;
            }

            if (IsLink(path))
            {
                throw new WeComException(WeComErrors.SnapshotPathInUse, $"'{path}' is a symbolic link or junction; name the folder it points to, or a new folder.");
            }

            if (force || !Directory.EnumerateFileSystemEntries(path).Any())
            {
                return;
            }

            string? notSnapshot = WhyNotSnapshotFolder(path);
            if (notSnapshot is null)
            {
                return;
            }

            throw new WeComException(
                WeComErrors.SnapshotPathInUse,
                $"The folder '{path}' is not empty and is not a snapshot folder ({notSnapshot}); it is left as it is.");
        }

        /// <summary>
        /// Null when the folder's manifest.json is a snapshot manifest (it is read whole, at most 16 MB); else why not. A
        /// manifest the file system will not give is <see cref="WeComErrors.ReadFailed"/>: it may well be a snapshot's, so
        /// the advice to add -Force (and delete it) must not follow.
        /// </summary>
        private static string? WhyNotSnapshotFolder(string folder)
        {
            (SnapshotManifest? manifest, Exception? problem, bool unreadable) = SnapshotManifest.LoadIn(folder);
            return unreadable
                ? throw new WeComException(WeComErrors.ReadFailed, $"{problem!.Message} The folder '{folder}' is left as it is.", problem)
                : manifest is null && problem is null ? $"it has no {SnapshotManifest.FileName}" : problem?.Message;
        }

        /// <summary>Creates the staging folder beside <paramref name="path"/> (and any missing parents), the owner's only on Unix.</summary>
        public static string CreateStaging(string path)
        {
            OutputFolder.Create(Path.GetDirectoryName(path)!);
            string staging = NameBeside(path, OutputFolder.CurrentProcessId, StagingSuffix);
            if (UnixFileModes.Available)
            {
                UnixFileModes.CreateDirectory(staging, UnixFileModes.OwnerAll);
            }
            else
            {
                Directory.CreateDirectory(staging);
            }

            return staging;
        }

        /// <summary>A name of ours beside <paramref name="path"/>: <c>.{name}.{machine}.{pid}.{guid}{suffix}</c>.</summary>
        internal static string NameBeside(string path, int processId, string suffix) =>
            Path.Combine(
                Path.GetDirectoryName(path)!,
                string.Format(CultureInfo.InvariantCulture, ".{0}.{1}.{2}.{3:N}{4}", Path.GetFileName(path), OutputFolder.Machine, processId, Guid.NewGuid(), suffix));

        /// <summary>
        /// Moves the finished <paramref name="staging"/> folder to <paramref name="path"/>. A folder already there (checked
        /// again: it may have changed during the export) is renamed aside first and deleted once the new one is in place.
        /// Between the two renames there is no folder at <paramref name="path"/>; a crash there leaves the previous
        /// snapshot under its aside name, which the next snapshot into this parent puts back (<see cref="RemoveStale"/>).
        /// If the second rename fails, the previous folder is put back at once (or deleted, when another export has
        /// just committed its snapshot at <paramref name="path"/>).
        /// </summary>
        public static void Commit(string staging, string path, bool force)
        {
            CheckTarget(path, force);
            string? aside = null;
            if (Directory.Exists(path))
            {
                aside = NameBeside(path, OutputFolder.CurrentProcessId, AsideSuffix);
                try
                {
                    Directory.Move(path, aside);
                }
                catch (DirectoryNotFoundException) when (!Directory.Exists(path))
                {
                    aside = null; // removed meanwhile: nothing to move aside
                }
                catch (Exception e) when (e is UnauthorizedAccessException || e.HResult == AccessDeniedHResult)
                {
                    // Windows reports a denied move as an IOException with E_ACCESSDENIED, also for a file open in the folder.
                    throw new WeComException(WeComErrors.AccessDenied, $"The folder '{path}' could not be renamed aside to make room for the new snapshot: access was denied (its permissions or attributes, or its parent's; on Windows also a file in it that is open): {e.Message}", e);
                }
                catch (IOException e)
                {
                    throw new WeComException(WeComErrors.IOError, $"The folder '{path}' could not be renamed aside to make room for the new snapshot (on Windows: is a file in it open, or is it a shell's working folder?): {e.Message}", e);
                }
            }

            try
            {
                Directory.Move(staging, path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (aside is not null && !Directory.Exists(path) && !File.Exists(path))
                {
                    TryMove(aside, path);
                }
                else if (aside is not null)
                {
                    // Another export committed its snapshot at the target meanwhile: the previous one is superseded.
                    TryDeleteTree(aside);
                }

                throw new WeComException(WeComErrors.IOError, $"The finished snapshot could not be renamed to '{path}': {e.Message}", e);
            }

            if (aside is not null && !TryDeleteTree(aside))
            {
                // A warning: what is left there is a copy of the previous snapshot (members' data) that a later export may
                // fail to delete too (an immutable file, a permission), so the user must know of it.
                WeComLog.Warning($"The new snapshot is in place, but the previous one, renamed aside to '{aside}', could not be deleted (wholly or in part); an export into this folder's parent from a later session tries again. Check its permissions or attributes, or delete it yourself.");
            }
        }

        /// <summary>
        /// Tidies <paramref name="parent"/> after snapshot writers on this machine that have ended (a killed process):
        /// their staging folders are incomplete and deleted; a previous snapshot left aside is put back when nothing is at
        /// its name (the writer died between the two renames), else deleted. Best effort: what cannot be done is left.
        /// </summary>
        public static void RemoveStale(string parent)
        {
            try
            {
                // Names put back in this pass: another folder set aside from the same name is then kept, not deleted as if
                // the name held a newer snapshot.
                var putBack = new HashSet<string>(PathComparer);
                foreach (string folder in Directory.EnumerateDirectories(parent, "*.wecomexport-*"))
                {
                    Match match = OursName.Match(Path.GetFileName(folder));
                    if (!match.Success || !OutputFolder.IsLeftByEndedProcess(match))
                    {
                        continue;
                    }

                    string target = Path.Combine(parent, match.Groups["name"].Value);
                    bool aside = match.Groups["suffix"].Value == AsideSuffix;
                    bool targetFree = !Directory.Exists(target) && !File.Exists(target);
                    if (aside && targetFree && !IsPartialSnapshot(folder))
                    {
                        // What stood at the target (a snapshot, or a folder replaced with -Force) goes back where it was.
                        if (TryMove(folder, target))
                        {
                            putBack.Add(target);
                            WeComLog.Verbose($"Put '{target}' back from '{folder}', where an ended export had moved it aside.");
                        }
                    }
                    else if (aside && !targetFree && (putBack.Contains(target) || IsLink(target) || !HoldsSnapshot(target)))
                    {
                        // The only copy of what stood there, while its place holds something else: left, and said.
                        WeComLog.Warning($"'{folder}' holds what an ended export moved aside from '{target}', whose place is taken (by something else than a snapshot, a link, or another folder put back just now); it is left as it is. Move it back or delete it yourself.");
                    }
                    else if (TryDeleteTree(folder))
                    {
                        WeComLog.Verbose($"Removed '{folder}', left by an ended export.");
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Tidying up is a courtesy; the snapshot itself reports any real problem with the folder.
            }
        }

        /// <summary>
        /// True only when <paramref name="folder"/> is shown to be a snapshot partly deleted: its manifest reads and a file
        /// it lists is gone (a set-aside folder whose deletion stopped halfway). Put back, it would read as a short
        /// snapshot. Anything not shown so (no manifest, one that cannot be read now) is not called partial.
        /// </summary>
        private static bool IsPartialSnapshot(string folder)
        {
            SnapshotManifest? manifest = ManifestIn(folder);
            return manifest is not null
                && !manifest.Exports.SelectMany(e => e.Files).Concat(manifest.CsvFiles).All(f => File.Exists(Path.Combine(folder, f.Name)));
        }

        private static bool HoldsSnapshot(string folder) => ManifestIn(folder) is not null;

        // A link at the target may well lead to the set-aside folder itself (a user getting the data back).
        private static bool IsLink(string path) => (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0;

        private static SnapshotManifest? ManifestIn(string folder) => SnapshotManifest.LoadIn(folder).Manifest;

        /// <summary>Deletes a folder and everything in it (clearing read-only attributes if need be); false if something is left.</summary>
        public static bool TryDeleteTree(string path)
        {
            for (int attempt = 0; attempt < 2; attempt++)
            {
                try
                {
                    if (Directory.Exists(path))
                    {
                        if (!IsLink(path))
                        {
                            DeleteAllButManifest(path);
                        }

                        // A link to a folder: only the link goes.
                        Directory.Delete(path, recursive: true);
                    }

                    return true;
                }
                catch (UnauthorizedAccessException) when (attempt == 0)
                {
                    ClearReadOnly(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return false;
                }
            }

            return false;
        }

        /// <summary>
        /// Deletes what a folder holds except its manifest.json, which goes last with the folder: a deletion that stops
        /// halfway (an immutable file, a permission) leaves a snapshot shown partial by its own manifest, never a short
        /// folder that could pass for a whole one.
        /// </summary>
        private static void DeleteAllButManifest(string folder)
        {
            foreach (string entry in Directory.EnumerateFileSystemEntries(folder))
            {
                if (string.Equals(Path.GetFileName(entry), SnapshotManifest.FileName, StringComparison.Ordinal))
                {
                    continue;
                }

                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }
        }

        private static void ClearReadOnly(string path)
        {
            try
            {
                foreach (string file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
                {
                    FileAttributes attributes = File.GetAttributes(file);
                    if ((attributes & FileAttributes.ReadOnly) != 0)
                    {
                        File.SetAttributes(file, attributes & ~FileAttributes.ReadOnly);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The retried delete reports what is left.
            }
        }

        private static bool TryMove(string from, string to)
        {
            try
            {
                Directory.Move(from, to);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }
    }
}

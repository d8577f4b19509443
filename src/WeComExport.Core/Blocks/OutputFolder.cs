using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using WeComExport.Internal;

namespace WeComExport.Blocks
{
    /// <summary>
    /// The folder decrypted blocks are written to: folders and files the owner's only on Unix (0700,
    /// 0600; on Windows the folder's inherited ACL applies), and temporary files named after their
    /// writer, <c>.{file}.{machine}.{pid}.{guid}.wecomexport.tmp</c>, so that the next write into the
    /// folder can remove those left by a writer on this machine that has ended (a killed pwsh). A
    /// writer holds its file exclusively (FileShare.None) until it renames it, and a file is removed
    /// only when that hold is gone, whatever its pid says.
    /// </summary>
    internal static class OutputFolder
    {
        private const string TempSuffix = ".wecomexport.tmp";
        /// <summary>The longest machine token in a name of ours.</summary>
        internal const int MachineNameLength = 32;

        /// <summary>The pattern of "{machine}.{pid}.{guid}" in the names of ours (temporary files, snapshot staging folders).</summary>
        internal static readonly string OwnerPattern =
            @"(?<machine>[A-Za-z0-9-]{1," + MachineNameLength.ToString(CultureInfo.InvariantCulture) + @"})\.(?<pid>[0-9]{1,10})\.[0-9a-f]{32}";

        private static readonly Regex TempName = new(@"\." + OwnerPattern + Regex.Escape(TempSuffix) + "$", RegexOptions.CultureInvariant);

        /// <summary>This machine's name as a file-name token (see <see cref="MachineToken"/>).</summary>
        internal static string Machine { get; } = MachineToken(Environment.MachineName);

        internal static int CurrentProcessId { get; } = GetCurrentProcessId();

        /// <summary>Creates the folder and any missing parents, the owner's only on Unix; an existing folder is left as it is.</summary>
        public static void Create(string path)
        {
            if (!UnixFileModes.Available)
            {
                Directory.CreateDirectory(path);
                return;
            }

            // The runtime gives the mode to the last folder only, so each missing one is made in turn.
            var missing = new Stack<string>();
            for (string? folder = Path.GetFullPath(path); folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
            {
                missing.Push(folder);
            }

            while (missing.Count > 0)
            {
                UnixFileModes.CreateDirectory(missing.Pop(), UnixFileModes.OwnerAll);
            }
        }

        /// <summary>A new temporary file's path beside <paramref name="destination"/>, named after this process.</summary>
        public static string TempPathFor(string destination) => TempPathFor(destination, CurrentProcessId);

        internal static string TempPathFor(string destination, int processId) =>
            Path.Combine(
                Path.GetDirectoryName(destination)!,
                string.Format(CultureInfo.InvariantCulture, ".{0}.{1}.{2}.{3:N}{4}", Path.GetFileName(destination), Machine, processId, Guid.NewGuid(), TempSuffix));

        /// <summary>
        /// Creates the temporary file, held while it is written (unshared, or shared for reading only to let the writer
        /// open its <see cref="Hold"/> before it lets go) and, on Unix, the owner's only before any byte is in it.
        /// </summary>
        public static FileStream CreateTemp(string path, int bufferSize, FileShare share = FileShare.None) =>
            UnixFileModes.Available
                ? UnixFileModes.CreateNew(path, UnixFileModes.OwnerReadWrite, bufferSize, share)
                : new FileStream(path, FileMode.CreateNew, FileAccess.Write, share, bufferSize, useAsync: false);

        /// <summary>
        /// A second handle on a temporary file its writer (created with <see cref="FileShare.Read"/>) still has open, which
        /// keeps the file held once the writer closes: a cleaner's unshared open fails on it (a sharing conflict on Windows,
        /// a shared <c>flock</c> on Unix), and it lets the file be renamed while held (<see cref="FileShare.Delete"/>).
        /// </summary>
        public static FileStream Hold(string path) =>
            new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);

        /// <summary>Before <paramref name="temp"/> replaces <paramref name="destination"/>: on Unix it keeps the replaced file's mode where that is tighter than 0600, never a wider one.</summary>
        public static void KeepTighterMode(string temp, string destination)
        {
            if (UnixFileModes.Available && File.Exists(destination))
            {
                int mode = UnixFileModes.GetMode(destination) & UnixFileModes.OwnerReadWrite;
                if (mode != UnixFileModes.OwnerReadWrite)
                {
                    UnixFileModes.SetMode(temp, mode);
                }
            }
        }

        /// <summary>
        /// Renames the finished <paramref name="temp"/> over <paramref name="destination"/> (File.Replace when it exists: an atomic
        /// swap on both Windows and Unix), while <paramref name="hold"/> (see <see cref="Hold"/>) still holds it where that is allowed.
        /// </summary>
        public static void Publish(string temp, string destination, IDisposable? hold = null)
        {
            if (File.Exists(destination))
            {
                // Windows' ReplaceFile is not sure to accept a replacement held open, even shared for delete: let go first.
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    hold?.Dispose();
                }

                File.Replace(temp, destination, destinationBackupFileName: null);
            }
            else
            {
                File.Move(temp, destination);
            }
        }

        /// <summary>
        /// Deletes the temporary files of ours in <paramref name="folder"/> whose writer ran on this machine
        /// and is no longer running: its pid names no process here, and no process holds the file (see
        /// <see cref="TryDeleteUnheld"/>). Best effort: a file that cannot be listed or deleted is left.
        /// </summary>
        public static void RemoveStaleTemps(string folder)
        {
            // Cleaning up is a courtesy (TempFilesIn gives none when the folder cannot be listed); the write itself
            // reports any real problem with the folder.
            foreach (string path in TempFilesIn(folder))
            {
                if (IsLeftByEndedProcess(TempName.Match(Path.GetFileName(path))))
                {
                    TryDeleteUnheld(path);
                }
            }
        }

        /// <summary>The temporary files of ours in <paramref name="folder"/>, whoever wrote them: a write that is running, or was stopped.</summary>
        public static IReadOnlyList<string> TempFilesIn(string folder)
        {
            try
            {
                return Directory.EnumerateFiles(folder, "*" + TempSuffix).Where(path => TempName.IsMatch(Path.GetFileName(path))).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Array.Empty<string>();
            }
        }

        public static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: the failure being reported matters more than a leftover temporary file.
            }
        }

        /// <summary>
        /// Deletes <paramref name="path"/> only if no process holds it: the pid in a name cannot tell, since a
        /// container sharing this host name has its own pid namespace. The file is opened unshared and
        /// deleted on close; while its writer holds it (FileShare.None: a sharing lock on Windows, an
        /// exclusive flock on Unix) that open fails and the file is left.
        /// </summary>
        private static void TryDeleteUnheld(string path)
        {
            try
            {
                using var claim = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Held by a live writer, gone already (renamed into place), or not ours to delete: leave it.
            }
        }

        /// <summary>Whether a name of ours (matched with <see cref="OwnerPattern"/>) was made on this machine by a process that is no longer running.</summary>
        internal static bool IsLeftByEndedProcess(Match match) =>
            string.Equals(match.Groups["machine"].Value, Machine, StringComparison.OrdinalIgnoreCase)
            && int.TryParse(match.Groups["pid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int processId)
            && !IsRunning(processId);

        private static bool IsRunning(int processId)
        {
            if (processId == CurrentProcessId)
            {
                return true;
            }

            try
            {
                using Process process = Process.GetProcessById(processId);
                return true;
            }
            catch (ArgumentException)
            {
                return false; // no process has that id
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        private static int GetCurrentProcessId()
        {
            using Process current = Process.GetCurrentProcess();
            return current.Id;
        }

        /// <summary>The machine's name as a file-name token: letters, digits and '-' only, at most 32 characters.</summary>
        private static string MachineToken(string name)
        {
            var token = new StringBuilder(Math.Min(name.Length, MachineNameLength));
            foreach (char c in name)
            {
                if (token.Length == MachineNameLength)
                {
                    break;
                }

                token.Append(c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-');
            }

            return token.Length == 0 ? "host" : token.ToString();
        }
    }
}

using System;
using System.IO;
using System.Runtime.InteropServices;
using WeComExport.Api;

namespace WeComExport.Export
{
    /// <summary>How a receive runs on this machine (not what it asks of WeCom).</summary>
    public sealed class ReceiveOptions
    {
        /// <summary>The environment variable that names the temp folder when <see cref="TempDirectory"/> is not set.</summary>
        public const string TempDirectoryVariable = "WECOM_TEMP_DIRECTORY";

        /// <summary>
        /// The folder for the spool files (each block's download, up to about 1 GB, while it is verified and
        /// read). Null: the folder named by WECOM_TEMP_DIRECTORY, else the system temp folder
        /// (TMPDIR on Unix, TMP/TEMP on Windows). The folder must exist.
        /// </summary>
        public string? TempDirectory { get; set; }

        /// <summary>
        /// For a snapshot, which holds each record once and judges an export without records itself: blocks listed twice
        /// (the same MD5) are refused before any is downloaded, instead of a warning that their records come twice, and a
        /// job with no block is not warned of.
        /// </summary>
        internal bool OncePerRecord { get; set; }

        /// <summary>The variables the system temp folder comes from on this platform, for messages.</summary>
        internal static string SystemTempVariables => RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "TMP/TEMP" : "TMPDIR";

        /// <summary>The temp folder to use: the option, else WECOM_TEMP_DIRECTORY, else the system temp folder; throws when it does not exist.</summary>
        internal string ResolveTempDirectory() =>
            ResolveTempDirectory(TempDirectory, Environment.GetEnvironmentVariable(TempDirectoryVariable), Path.GetTempPath());

        internal static string ResolveTempDirectory(string? option, string? variable, string systemTemp)
        {
            (string folder, string source) =
                !string.IsNullOrWhiteSpace(option) ? (option!, "the temp folder option")
                : !string.IsNullOrWhiteSpace(variable) ? (variable!, TempDirectoryVariable)
                : (systemTemp, "the system temp folder, " + SystemTempVariables);
            if (!Path.IsPathRooted(folder))
            {
                // A relative folder would be taken from the process's working folder, which a PowerShell user does not see.
                throw new WeComException(
                    WeComErrors.TempDirectoryNotFound,
                    $"The temp folder '{folder}' ({source}) is not a full path.");
            }

            string full = Path.GetFullPath(folder);
            if (!Directory.Exists(full))
            {
                throw new WeComException(
                    WeComErrors.TempDirectoryNotFound,
                    File.Exists(full)
                        ? $"The temp folder '{full}' ({source}) is a file, not a folder; downloaded blocks are spooled in a folder."
                        : $"The temp folder '{full}' ({source}) does not exist; downloaded blocks are spooled there.");
            }

            return full;
        }
    }
}

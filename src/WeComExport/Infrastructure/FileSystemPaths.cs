using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;
using Microsoft.PowerShell.Commands;

namespace WeComExport.Commands
{
    /// <summary>
    /// The one check that a path parameter names the file system: resolved against $PWD (not the process's
    /// folder, which PowerShell does not change), and refused when blank or of another provider (Function:,
    /// Variable:, a missing drive). The callers decide whether a refusal ends the command or only that input.
    /// </summary>
    internal static class FileSystemPaths
    {
        /// <summary>A full path without a trailing separator (a root keeps its own), so that "snap/" and "snap" are one folder.</summary>
        public static string Normalize(string path) => Snapshots.SnapshotFolder.WithoutTrailingSeparator(Path.GetFullPath(path));

        /// <summary>Compares full paths as the file system does: case-blind on Windows and macOS, exact elsewhere.</summary>
        public static StringComparer Comparer => Snapshots.SnapshotFolder.PathComparer;

        /// <summary>A folder parameter (the folder may not exist yet) as a full file-system path; null, with the problem, when it is not one.</summary>
        public static string? ResolveFolder(PSCmdlet cmdlet, string parameter, string value, out string? problem)
        {
            if (IsBlank(parameter, value, out problem))
            {
                return null;
            }

            try
            {
                string path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(value, out ProviderInfo provider, out _);
                return IsFileSystem(parameter, value, provider, "a folder on the file system", out problem) ? path : null;
            }
            catch (Exception e) when (e is RuntimeException or ArgumentException or NotSupportedException)
            {
                problem = NotAFileSystemPath(parameter, value, e);
                return null;
            }
        }

        /// <summary>
        /// The existing files and folders a path parameter names: wildcards expanded, or with <paramref name="literal"/>
        /// the path as it is. Empty, with the problem, when it is not a file-system path (<paramref name="notFound"/>
        /// false) or names nothing that exists, a wildcard included (<paramref name="notFound"/> true).
        /// </summary>
        public static IReadOnlyList<string> ResolveExisting(PSCmdlet cmdlet, string parameter, string value, bool literal, out string? problem, out bool notFound)
        {
            notFound = false;
            if (IsBlank(parameter, value, out problem))
            {
                return Array.Empty<string>();
            }

            try
            {
                // The provider first, without touching any item, so that another provider's path is named as such even when it does not exist.
                string unresolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(value, out ProviderInfo provider, out _);
                if (!IsFileSystem(parameter, value, provider, "a file-system path", out problem))
                {
                    return Array.Empty<string>();
                }

                IReadOnlyList<string> paths = literal ? Existing(unresolved) : Matching(cmdlet, value, unresolved);
                if (paths.Count == 0)
                {
                    notFound = true;
                    problem = literal || !WildcardPattern.ContainsWildcardCharacters(value)
                        ? $"-{parameter} '{value}' does not exist."
                        : $"-{parameter} '{value}' matches no file or folder.";
                }

                return paths;
            }
            catch (ItemNotFoundException)
            {
                notFound = true;
                problem = $"-{parameter} '{value}' does not exist.";
                return Array.Empty<string>();
            }
            catch (Exception e) when (e is RuntimeException or ArgumentException or NotSupportedException)
            {
                problem = NotAFileSystemPath(parameter, value, e);
                return Array.Empty<string>();
            }
        }

        private static string[] Existing(string path) =>
            File.Exists(path) || Directory.Exists(path) ? new[] { path } : Array.Empty<string>();

        /// <summary>
        /// What a wildcard path names: the item of exactly that name when there is one, else what it matches as a pattern.
        /// A snapshot written to <c>snap[1]</c> (Export-WeComDirectory's -Path is literal) so reads back by the same
        /// name, typed or piped as the snapshot object's Path, even beside a folder <c>snap1</c>; and <c>snap[</c>, no
        /// valid pattern, still names its folder.
        /// </summary>
        private static IReadOnlyList<string> Matching(PSCmdlet cmdlet, string value, string unresolved)
        {
            string[] exact = Existing(unresolved);
            if (exact.Length > 0)
            {
                return exact;
            }

            try
            {
                Collection<string> matched = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(value, out _);
                if (matched.Count > 0)
                {
                    return matched;
                }
            }
            catch (Exception e) when (e is ItemNotFoundException or WildcardPatternException)
            {
            }

            return Array.Empty<string>();
        }

        private static bool IsBlank(string parameter, string value, out string? problem)
        {
            problem = string.IsNullOrWhiteSpace(value) ? $"-{parameter} is blank (only white space)." : null;
            return problem is not null;
        }

        private static bool IsFileSystem(string parameter, string value, ProviderInfo provider, string wanted, out string? problem)
        {
            problem = provider.ImplementingType == typeof(FileSystemProvider)
                ? null
                : $"-{parameter} '{value}' is a path of the {provider.Name} provider, not {wanted}.";
            return problem is null;
        }

        private static string NotAFileSystemPath(string parameter, string value, Exception e) =>
            $"-{parameter} '{value}' is not a file-system path: {e.Message}";
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;

namespace WeComExport.Commands
{
    /// <summary>
    /// Runs when the module is imported and removed.
    /// On PowerShell 7 (Core) it only checks the version: 7.4 or later is required (the manifest's
    /// PowerShellVersion = '5.1' has to admit Windows PowerShell, so it cannot say this itself). The
    /// runtime's own System.Text.Json and its dependencies are used there, so no resolver is hooked.
    /// On Windows PowerShell 5.1 (.NET Framework) there are no binding redirects for the module's
    /// dependencies (System.Text.Json asks for other versions of System.Memory, Unsafe, Buffers than
    /// ship beside it), so a failed load is answered with the copy in the module folder, but only for
    /// an assembly the module ships, at a version no higher than the shipped one, asked for by one of
    /// the module's own assemblies (PSResourceGet's ModuleInitAndCleanup does the same). Removing the
    /// module unhooks it. It also makes sure TLS 1.2 is offered to WeCom.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        internal static readonly Version MinimumCoreVersion = new(7, 4);

        private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty;
        private static IReadOnlyDictionary<string, ShippedAssembly> shipped = new Dictionary<string, ShippedAssembly>();
        private static int resolverHooks;

        /// <summary>How many times the resolver is hooked into AppDomain.AssemblyResolve now (0 or 1).</summary>
        internal static int ResolverHooks => Volatile.Read(ref resolverHooks);

        public void OnImport()
        {
            bool desktop = RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);
            string? unsupported = CheckHostVersion(desktop ? "Desktop" : "Core", desktop ? null : GetPSVersion());
            if (unsupported != null)
            {
                throw new PSNotSupportedException(unsupported);
            }

            if (!desktop)
            {
                return;
            }

            ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;
            HookResolver();
        }

        public void OnRemove(PSModuleInfo psModuleInfo) => UnhookResolver();

        /// <summary>
        /// Null when this PowerShell can run the module, else the message saying why not.
        /// Desktop is Windows PowerShell 5.1, which the manifest already requires; Core needs 7.4+.
        /// </summary>
        internal static string? CheckHostVersion(string edition, Version? psVersion)
        {
            if (!string.Equals(edition, "Core", StringComparison.OrdinalIgnoreCase) || psVersion == null || psVersion >= MinimumCoreVersion)
            {
                return null;
            }

            return $"WeComExport needs PowerShell {MinimumCoreVersion} or later on PowerShell Core (found {psVersion}); Windows PowerShell 5.1 is supported too.";
        }

        /// <summary>
        /// The path of the shipped dll that answers a failed load, or null to leave it to others:
        /// only an assembly the module ships, at the shipped version or lower, with the same public key
        /// token, asked for by one of the module's own assemblies (or by no known assembly).
        /// </summary>
        internal static string? ChooseShippedAssembly(IReadOnlyDictionary<string, ShippedAssembly> shippedAssemblies, string requestedName, string? requestingName)
        {
            AssemblyName requested;
            try
            {
                requested = new AssemblyName(requestedName);
            }
            catch (Exception ex) when (ex is ArgumentException or FileLoadException)
            {
                return null;
            }

            if (requested.Name == null || !shippedAssemblies.TryGetValue(requested.Name, out ShippedAssembly? candidate))
            {
                return null;
            }

            if (requestingName != null)
            {
                string? requesting = new AssemblyName(requestingName).Name;
                if (requesting == null || !shippedAssemblies.ContainsKey(requesting))
                {
                    return null;
                }
            }

            if (requested.Version != null && requested.Version > candidate.Version)
            {
                return null;
            }

            byte[]? token = requested.GetPublicKeyToken();
            if (token != null && token.Length > 0 && !TokensEqual(token, candidate.PublicKeyToken))
            {
                return null;
            }

            return candidate.Path;
        }

        /// <summary>The dlls in a module folder, by assembly name (what the module ships).</summary>
        internal static IReadOnlyDictionary<string, ShippedAssembly> ReadShippedAssemblies(string folder)
        {
            var result = new Dictionary<string, ShippedAssembly>(StringComparer.OrdinalIgnoreCase);
            foreach (string path in Directory.GetFiles(folder, "*.dll"))
            {
                AssemblyName name;
                try
                {
                    name = AssemblyName.GetAssemblyName(path);
                }
                catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or IOException)
                {
                    continue;
                }

                if (name.Name != null)
                {
                    result[name.Name] = new ShippedAssembly(name.Name, name.Version ?? new Version(0, 0), name.GetPublicKeyToken() ?? Array.Empty<byte>(), path);
                }
            }

            return result;
        }

        /// <summary>Hooks the resolver (once); OnImport does this on .NET Framework only.</summary>
        internal static void HookResolver()
        {
            if (Interlocked.CompareExchange(ref resolverHooks, 1, 0) != 0)
            {
                return;
            }

            shipped = ReadShippedAssemblies(ModuleFolder);
            AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleFolder;
        }

        internal static void UnhookResolver()
        {
            if (Interlocked.CompareExchange(ref resolverHooks, 0, 1) == 1)
            {
                AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromModuleFolder;
            }
        }

        private static Assembly? ResolveFromModuleFolder(object? sender, ResolveEventArgs args)
        {
            Assembly? requesting = args.RequestingAssembly;
            if (requesting != null && !IsInModuleFolder(requesting))
            {
                return null;
            }

            string? path = ChooseShippedAssembly(shipped, args.Name, requesting?.FullName);
            return path == null ? null : Assembly.LoadFrom(path);
        }

        private static bool IsInModuleFolder(Assembly assembly)
        {
            string location = assembly.IsDynamic ? string.Empty : assembly.Location;
            return location.Length > 0 && string.Equals(Path.GetDirectoryName(location), ModuleFolder, StringComparison.OrdinalIgnoreCase);
        }

        private static bool TokensEqual(byte[] a, byte[] b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>$PSVersionTable.PSVersion: PSVersionInfo is public in PowerShell 7, internal in 5.1.</summary>
        private static Version? GetPSVersion() =>
            typeof(PSObject).Assembly.GetType("System.Management.Automation.PSVersionInfo")
                ?.GetProperty("PSVersion", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                ?.GetValue(null) as Version;
    }

    /// <summary>One dll in the module folder (public properties, so tests can read them through PowerShell).</summary>
    internal sealed class ShippedAssembly
    {
        internal ShippedAssembly(string name, Version version, byte[] publicKeyToken, string path)
        {
            Name = name;
            Version = version;
            PublicKeyToken = publicKeyToken;
            Path = path;
        }

        public string Name { get; }

        public Version Version { get; }

        public byte[] PublicKeyToken { get; }

        public string Path { get; }
    }
}

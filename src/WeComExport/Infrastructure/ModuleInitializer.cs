using System;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;

namespace WeComExport.Commands
{
    /// <summary>
    /// Windows PowerShell 5.1 (.NET Framework) only: it has no binding redirects for the module's
    /// dependencies (System.Text.Json asks for other versions of System.Memory, Unsafe, Buffers than
    /// ship beside it), so a failed load is answered with the copy in the module folder, whatever
    /// version was asked for. It also makes sure TLS 1.2 is offered to WeCom. PowerShell 7 needs neither.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty;

        public void OnImport()
        {
            if (!RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                return;
            }

            ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;
            AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleFolder;
        }

        private static Assembly? ResolveFromModuleFolder(object? sender, ResolveEventArgs args)
        {
            string? name = new AssemblyName(args.Name).Name;
            if (string.IsNullOrEmpty(name))
            {
                return null;
            }

            string path = Path.Combine(ModuleFolder, name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}

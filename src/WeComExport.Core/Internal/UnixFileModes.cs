using System;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace WeComExport.Internal
{
    /// <summary>
    /// Unix permission bits through the runtime's own APIs (.NET 7+: FileStreamOptions.UnixCreateMode,
    /// Directory.CreateDirectory(path, mode), File.Get/SetUnixFileMode). netstandard2.0 cannot name them,
    /// so they are bound once by reflection; PowerShell 7.4+ runs on .NET 8, where they all exist. Using
    /// the runtime's calls rather than P/Invoke to libc avoids mode_t and variadic open() ABI differences.
    /// On Windows, or a runtime without them, <see cref="Available"/> is false and callers fall back to
    /// the platform's defaults.
    /// </summary>
    internal static class UnixFileModes
    {
        /// <summary>rw------- (0600).</summary>
        public const int OwnerReadWrite = 0x180;

        /// <summary>rwx------ (0700).</summary>
        public const int OwnerAll = 0x1C0;

        private static readonly Api? Bound = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? null : Api.TryBind();

        public static bool Available => Bound is not null;

        /// <summary>Creates a new file (failing if it exists) for writing, unshared, with <paramref name="mode"/> (less the umask) from its creation.</summary>
        public static FileStream CreateNew(string path, int mode, int bufferSize, FileShare share = FileShare.None)
        {
            Api api = Bound ?? throw new PlatformNotSupportedException();
            object options = Activator.CreateInstance(api.StreamOptions)!;
            api.StreamOptions.GetProperty("Mode")!.SetValue(options, FileMode.CreateNew);
            api.StreamOptions.GetProperty("Access")!.SetValue(options, FileAccess.Write);
            api.StreamOptions.GetProperty("Share")!.SetValue(options, share);
            api.StreamOptions.GetProperty("BufferSize")!.SetValue(options, bufferSize);
            api.StreamOptions.GetProperty("UnixCreateMode")!.SetValue(options, api.Mode(mode));
            return (FileStream)Invoke(() => api.StreamConstructor.Invoke(new[] { path, options }));
        }

        /// <summary>Creates the folder with <paramref name="mode"/> (less the umask); missing parents get the default mode, an existing folder is left as it is.</summary>
        public static void CreateDirectory(string path, int mode)
        {
            Api api = Bound ?? throw new PlatformNotSupportedException();
            Invoke(() => api.CreateDirectory.Invoke(null, new[] { path, api.Mode(mode) }));
        }

        public static int GetMode(string path)
        {
            Api api = Bound ?? throw new PlatformNotSupportedException();
            return Convert.ToInt32(Invoke(() => api.GetMode.Invoke(null, new object[] { path })), CultureInfo.InvariantCulture);
        }

        public static void SetMode(string path, int mode)
        {
            Api api = Bound ?? throw new PlatformNotSupportedException();
            Invoke(() => api.SetMode.Invoke(null, new[] { path, api.Mode(mode) }));
        }

        /// <summary>Runs a reflected call and rethrows what it threw as itself (an IOException stays an IOException).</summary>
        private static object Invoke(Func<object?> call)
        {
            try
            {
                return call()!;
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        }

        private sealed record Api(Type ModeType, Type StreamOptions, ConstructorInfo StreamConstructor, MethodInfo CreateDirectory, MethodInfo GetMode, MethodInfo SetMode)
        {
            public object Mode(int bits) => Enum.ToObject(ModeType, bits);

            public static Api? TryBind()
            {
                Assembly core = typeof(File).Assembly;
                Type? modeType = core.GetType("System.IO.UnixFileMode");
                Type? options = core.GetType("System.IO.FileStreamOptions");
                if (modeType is null || options?.GetProperty("UnixCreateMode") is null)
                {
                    return null;
                }

                ConstructorInfo? constructor = typeof(FileStream).GetConstructor(new[] { typeof(string), options });
                MethodInfo? create = typeof(Directory).GetMethod(nameof(Directory.CreateDirectory), new[] { typeof(string), modeType });
                MethodInfo? get = typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });
                MethodInfo? set = typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), modeType });
                return constructor is null || create is null || get is null || set is null
                    ? null
                    : new Api(modeType, options, constructor, create, get, set);
            }
        }
    }
}

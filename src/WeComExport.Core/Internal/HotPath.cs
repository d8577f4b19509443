using System.Runtime.CompilerServices;

namespace WeComExport.Internal
{
    /// <summary>
    /// For the methods every record passes through. A receive is usually the one big call of a runbook's
    /// process, so tiered compilation would run the parser unoptimized for most of it (measured: the first
    /// receive of 100,000 members cost twice the CPU of the second). Marked methods are compiled optimized at
    /// once. MethodImplOptions.AggressiveOptimization (.NET Core 3.0+) is not in netstandard2.0, hence the
    /// value; .NET Framework, which does not tier, ignores it.
    /// </summary>
    internal static class HotPath
    {
        public const MethodImplOptions Optimize = (MethodImplOptions)512;
    }
}

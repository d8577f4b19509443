using System;
using System.Diagnostics;
using System.Text.Json;

namespace WeComExport.Bench
{
    /// <summary>
    /// The one JSON line a measurement child prints for the harness: the timed part's seconds, what it
    /// counted, and this process's own peak working set (VmHWM on Linux), so each figure is the measure's own.
    /// </summary>
    internal static class BenchResult
    {
        public static void Print(string measure, double seconds, long records, long bytes, int blocks)
        {
            using Process self = Process.GetCurrentProcess();
            self.Refresh();
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                measure,
                seconds,
                records,
                bytes,
                blocks,
                peakWorkingSet = self.PeakWorkingSet64,
                runtime = Environment.Version.ToString(),
            }));
        }
    }
}

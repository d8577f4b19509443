using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace WeComExport.Tests.Emulator
{
    /// <summary>Runs openssl or node (implementations not written here) and returns stdout's bytes.</summary>
    internal static class ExternalTool
    {
        public static async Task<byte[]> RunAsync(string file, params string[] args)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using Process process = Process.Start(start)!;
            using var output = new MemoryStream();
            Task copy = process.StandardOutput.BaseStream.CopyToAsync(output);
            string error = await process.StandardError.ReadToEndAsync();
            await copy;
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"{file} failed: {error}");
            return output.ToArray();
        }
    }
}

using System.Diagnostics;
using Xunit;

namespace WeComExport.Tests.Blocks
{
    /// <summary>Runs openssl or node: crypto implementations not written here, to catch a bug shared by the module and its emulator.</summary>
    internal static class ExternalTool
    {
        // Found on PATH, as .ci/run installs it.
        public const string OpenSsl = "openssl";

        public static string Run(string fileName, params string[] arguments)
        {
            var start = new ProcessStartInfo(fileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            System.Threading.Tasks.Task<string> errors = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{fileName} failed ({process.ExitCode}): {errors.Result}");
            return output;
        }
    }
}

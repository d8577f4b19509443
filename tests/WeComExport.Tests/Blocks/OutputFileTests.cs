using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Blocks;
using WeComExport.Crypto;
using Xunit;
using static WeComExport.Tests.Blocks.BlockTestData;

namespace WeComExport.Tests.Blocks
{
    /// <summary>
    /// Decrypted files are the owner's only on Unix, from the moment the temporary file exists, and a
    /// replaced file's tighter mode is kept; temporary files are named after their writer (machine and
    /// process), so that the next write into the folder can remove those a killed writer left.
    /// </summary>
    public sealed class OutputFileTests : IDisposable
    {
        private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        private readonly string folder = NewTempFolder();

        public void Dispose() => Directory.Delete(folder, recursive: true);

        [Fact]
        [UnsupportedOSPlatform("windows")]
        public async Task A_new_file_is_the_owners_only_and_so_is_its_temporary_file_before_any_plaintext()
        {
            if (OperatingSystem.IsWindows())
            {
                return; // Windows: the folder's inherited ACL applies (docs/design.md).
            }

            string destination = Path.Combine(folder, "block.json");
            byte[] cipher = WeComCipher.Encrypt(VectorKey, Utf8(VectorPlaintext));
            var seen = new List<UnixFileMode>();
            var probe = new ProbeStream(cipher, () => seen.AddRange(TempFiles().Select(File.GetUnixFileMode)));

            await BlockDecryption.DecryptToFileAsync(probe, VectorKey, destination, CancellationToken.None);

            Assert.NotEmpty(seen);
            Assert.All(seen, mode => Assert.Equal(OwnerReadWrite, mode));
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(destination));
        }

        [Theory]
        [InlineData("644", "600")]
        [InlineData("666", "600")]
        [InlineData("600", "600")]
        [InlineData("640", "600")]
        [InlineData("400", "400")]
        [InlineData("200", "200")]
        [InlineData("000", "000")]
        public async Task A_replaced_file_keeps_a_tighter_mode_and_is_never_widened(string before, string after)
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            string destination = Path.Combine(folder, "block.json");
            await File.WriteAllTextAsync(destination, "old");
            File.SetUnixFileMode(destination, (UnixFileMode)Convert.ToInt32(before, 8));
            byte[] cipher = WeComCipher.Encrypt(VectorKey, Utf8(VectorPlaintext));

            await BlockDecryption.DecryptToFileAsync(new MemoryStream(cipher), VectorKey, destination, CancellationToken.None);

            Assert.Equal((UnixFileMode)Convert.ToInt32(after, 8), File.GetUnixFileMode(destination));
            File.SetUnixFileMode(destination, OwnerReadWrite);
            Assert.Equal(VectorPlaintext, await File.ReadAllTextAsync(destination));
        }

        [Fact]
        public void Temporary_names_say_whose_they_are()
        {
            string name = Path.GetFileName(OutputFolder.TempPathFor(Path.Combine(folder, "job_1.block0000.json"), 4242));
            Assert.Matches(@"^\.job_1\.block0000\.json\.[A-Za-z0-9-]{1,32}\.4242\.[0-9a-f]{32}\.wecomexport\.tmp$", name);
        }

        [Fact]
        public void A_temporary_file_still_held_by_its_writer_is_kept_even_when_its_pid_looks_ended()
        {
            // Another container on this host: same machine name, its own pid namespace, so its live
            // writer's pid is one that has ended here. Only the writer's exclusive hold tells.
            string temp = OutputFolder.TempPathFor(Path.Combine(folder, "job.block0000.json"), DeadProcessId());
            using (FileStream writer = OutputFolder.CreateTemp(temp, 4096))
            {
                writer.WriteByte((byte)'{');
                writer.Flush();

                OutputFolder.RemoveStaleTemps(folder);

                Assert.True(File.Exists(temp), "a temporary file its writer still holds was removed");
            }

            OutputFolder.RemoveStaleTemps(folder);

            Assert.False(File.Exists(temp), "the temporary file of an ended writer was left");
        }

        /// <summary>The id of a process that has ended (started, waited for and reaped here).</summary>
        internal static int DeadProcessId()
        {
            var start = OperatingSystem.IsWindows()
                ? new ProcessStartInfo("cmd.exe", "/c exit 0")
                : new ProcessStartInfo("/bin/sh", "-c true");
            start.UseShellExecute = false;
            using Process process = Process.Start(start)!;
            process.WaitForExit();
            return process.Id;
        }

        private string[] TempFiles() => Directory.GetFiles(folder, "*.tmp");

        /// <summary>A ciphertext source that runs a probe before each read, i.e. while the temporary file is being written.</summary>
        private sealed class ProbeStream(byte[] data, Action probe) : MemoryStream(data)
        {
            public override int Read(byte[] buffer, int offset, int count)
            {
                probe();
                return base.Read(buffer, offset, count);
            }

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                probe();
                return base.ReadAsync(buffer, offset, count, cancellationToken);
            }

            public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            {
                probe();
                return base.ReadAsync(buffer, cancellationToken);
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.Versioning;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Blocks;
using WeComExport.Export;
using WeComExport.Tests.Blocks;
using Xunit;

namespace WeComExport.Tests.Export
{
    /// <summary>
    /// Over real HTTP against the in-process emulator: a job received as another kind fails, naming the
    /// block, before any record or file of it, on both the records and the files path; created folders
    /// and the files are the owner's only on Unix, and temporary files a killed receive left are cleaned up.
    /// </summary>
    public sealed class ReceiveSafetyTests : IAsyncLifetime
    {
        private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        private readonly string root = Path.Combine(Path.GetTempPath(), "wecom-receive-" + Guid.NewGuid().ToString("N"));
        private EmulatorSession emulator = null!;

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(root);
            emulator = await EmulatorSession.StartAsync(300);
        }

        public async Task DisposeAsync()
        {
            await emulator.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }

        [Theory]
        [InlineData(ExportKind.Department, ExportKind.User)]
        [InlineData(ExportKind.SimpleUser, ExportKind.Department)]
        [InlineData(ExportKind.TagUser, ExportKind.SimpleUser)]
        [InlineData(ExportKind.Department, ExportKind.TagUser)]
        public async Task A_job_received_as_another_kind_is_a_kind_mismatch_naming_the_block_and_gives_no_record(ExportKind started, ExportKind receivedAs)
        {
            WeComExportJob job = await StartAndWait(started, receivedAs);
            int emitted = 0;

            var error = await Assert.ThrowsAsync<WeComException>(() => ExportReceiver.ReceiveRecordsAsync(emulator.Session, job, _ => emitted++, null, CancellationToken.None));

            Assert.Equal(0, emitted);
            AssertKindMismatchInBlock0(error);
        }

        [Fact]
        public async Task A_job_received_as_another_kind_into_a_folder_leaves_no_file()
        {
            WeComExportJob job = await StartAndWait(ExportKind.Department, ExportKind.User);
            string folder = Path.Combine(root, "out");
            var files = new List<FileInfo>();

            var error = await Assert.ThrowsAsync<WeComException>(() => ExportReceiver.ReceiveFilesAsync(emulator.Session, job, folder, files.Add, null, CancellationToken.None));

            Assert.Empty(files);
            AssertKindMismatchInBlock0(error);
            Assert.Empty(Directory.Exists(folder) ? Directory.GetFileSystemEntries(folder) : []);
        }

        [Fact]
        [UnsupportedOSPlatform("windows")]
        public async Task Folders_created_for_the_files_and_the_files_are_the_owners_only()
        {
            if (OperatingSystem.IsWindows())
            {
                return; // Windows: the folder's inherited ACL applies (docs/design.md).
            }

            string existing = Path.Combine(root, "existing");
            Directory.CreateDirectory(existing);
            File.SetUnixFileMode(existing, OwnerOnlyFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            string folder = Path.Combine(existing, "a", "b");

            IReadOnlyList<FileInfo> files = await ReceiveDepartmentsInto(folder);

            FileInfo file = Assert.Single(files);
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(file.FullName));
            Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(Path.Combine(existing, "a")));
            Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(folder));
            Assert.Equal((UnixFileMode)Convert.ToInt32("755", 8), File.GetUnixFileMode(existing));
        }

        [Fact]
        public async Task A_receive_removes_temporary_files_of_ended_writers_and_keeps_the_others()
        {
            string folder = Path.Combine(root, "out");
            Directory.CreateDirectory(folder);
            int dead = OutputFileTests.DeadProcessId();
            string stale = OutputFolder.TempPathFor(Path.Combine(folder, "job.block0000.json"), dead);
            string live = OutputFolder.TempPathFor(Path.Combine(folder, "job.block0001.json"), Environment.ProcessId);
            string otherMachine = Path.Combine(folder, $".job.block0002.json.elsewhere.{dead}.{Guid.NewGuid():N}.wecomexport.tmp");
            string notOurs = Path.Combine(folder, ".job.block0003.json.1234.tmp");
            foreach (string path in new[] { stale, live, otherMachine, notOurs })
            {
                await File.WriteAllTextAsync(path, "plaintext");
            }

            IReadOnlyList<FileInfo> files = await ReceiveDepartmentsInto(folder);

            Assert.False(File.Exists(stale), "the temporary file of an ended writer was left");
            Assert.True(File.Exists(live), "the temporary file of a live writer was removed");
            Assert.True(File.Exists(otherMachine), "a temporary file of another machine was removed");
            Assert.True(File.Exists(notOurs), "a file that is not ours was removed");
            Assert.True(File.Exists(Assert.Single(files).FullName));
        }

        private static void AssertKindMismatchInBlock0(WeComException error)
        {
            Assert.Equal("WeComExportKindMismatch", error.ErrorId);
            Assert.Equal(WeComErrorKind.InvalidData, error.Kind);
            Assert.Contains("export block 0", error.Message, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(error.Hint));
            Assert.DoesNotContain("-ExportKind", error.Message, StringComparison.Ordinal);
            var mismatch = Assert.IsType<ExportKindMismatchException>(error.InnerException);
            Assert.Equal(0, mismatch.BlockIndex);
        }

        private async Task<WeComExportJob> StartAndWait(ExportKind kind, ExportKind receivedAs)
        {
            long? tagId = kind == ExportKind.TagUser ? 1 : null;
            WeComExportJob job = await emulator.StartAndWaitAsync(kind, null, tagId);
            return new WeComExportJob(job.JobId, receivedAs, job.CorpId, tagId) { Key = job.Key };
        }

        private async Task<IReadOnlyList<FileInfo>> ReceiveDepartmentsInto(string folder)
        {
            WeComExportJob job = await emulator.StartAndWaitAsync(ExportKind.Department, null, null);
            var files = new List<FileInfo>();
            await ExportReceiver.ReceiveFilesAsync(emulator.Session, job, folder, files.Add, null, CancellationToken.None);
            return files;
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Blocks;
using WeComExport.Export;
using Xunit;

namespace WeComExport.Tests.Export
{
    /// <summary>
    /// Over real HTTP against the in-process emulator: a job received as another kind fails, naming the
    /// block, before any record or file of it, on both the records and the files path.
    /// </summary>
    public sealed class ReceiveKindMismatchTests : IAsyncLifetime
    {
        private readonly string root = Path.Combine(Path.GetTempPath(), "wecom-shape-" + Guid.NewGuid().ToString("N"));
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
    }
}

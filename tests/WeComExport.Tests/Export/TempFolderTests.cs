using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Export;
using WeComExport.Records;
using Xunit;

namespace WeComExport.Tests.Export
{
    /// <summary>Where the spool files go, and that none is ever left behind.</summary>
    public sealed class TempFolderTests : IDisposable
    {
        private readonly string folder = Path.Combine(Path.GetTempPath(), "wecom-spool-test-" + Guid.NewGuid().ToString("N"));

        public TempFolderTests() => Directory.CreateDirectory(folder);

        public void Dispose() => Directory.Delete(folder, recursive: true);

        [Fact]
        public void The_temp_folder_is_the_option_then_WECOM_TEMP_DIRECTORY_then_the_system_one()
        {
            string other = Path.GetTempPath();
            Assert.Equal(Path.GetFullPath(folder), ReceiveOptions.ResolveTempDirectory(folder, other, other));
            Assert.Equal(Path.GetFullPath(folder), ReceiveOptions.ResolveTempDirectory(null, folder, other));
            Assert.Equal(Path.GetFullPath(folder), ReceiveOptions.ResolveTempDirectory(" ", folder, other));
            Assert.Equal(Path.GetFullPath(folder), ReceiveOptions.ResolveTempDirectory(null, string.Empty, folder));
        }

        [Theory]
        [InlineData("option", "the temp folder option")]
        [InlineData("variable", "WECOM_TEMP_DIRECTORY")]
        [InlineData("system", "the system temp folder")]
        public void A_temp_folder_that_does_not_exist_is_refused_saying_where_it_came_from(string from, string source)
        {
            string missing = Path.Combine(folder, "missing");
            var ex = Assert.Throws<WeComException>(() => ReceiveOptions.ResolveTempDirectory(
                from == "option" ? missing : null, from == "variable" ? missing : null, from == "system" ? missing : folder));
            Assert.Equal("WeComTempDirectoryNotFound", ex.ErrorId);
            Assert.Equal(WeComErrorKind.InvalidArgument, ex.Kind);
            Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
            Assert.Contains(source, ex.Message, StringComparison.Ordinal);
            Assert.Contains("WECOM_TEMP_DIRECTORY", ex.Hint, StringComparison.Ordinal);
        }

        [Fact]
        public void A_relative_temp_folder_from_the_variable_is_refused_not_taken_from_the_process_s_folder()
        {
            var ex = Assert.Throws<WeComException>(() => ReceiveOptions.ResolveTempDirectory(null, "relative-spool", folder));
            Assert.Equal("WeComTempDirectoryNotFound", ex.ErrorId);
            Assert.Contains("relative-spool", ex.Message, StringComparison.Ordinal);
            Assert.Contains("not a full path", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void A_spool_file_leaves_no_name_behind_once_closed_and_none_at_all_on_unix()
        {
            string path;
            using (FileStream spool = SpoolFile.Create(folder))
            {
                spool.Write(new byte[] { 1, 2, 3 });
                spool.Position = 0;
                Assert.Equal(1, spool.ReadByte());
                path = spool.Name;
                Assert.StartsWith(folder, path, StringComparison.Ordinal);
                if (!OperatingSystem.IsWindows())
                {
                    // Unlinked while open: nothing to leave behind even if the process is killed now.
                    Assert.Empty(Directory.GetFileSystemEntries(folder));
                }
            }

            Assert.False(File.Exists(path));
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }

        [Fact]
        public async Task A_receive_spools_to_the_chosen_folder_and_leaves_it_empty()
        {
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, _) => DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext));
            using WeComSession session = await server.ConnectAsync();
            var seenOpen = new List<string>();
            int records = 0;
            await ExportReceiver.ReceiveRecordsAsync(
                session,
                DownloadServer.Job(),
                _ =>
                {
                    if (records++ == 0)
                    {
                        seenOpen.AddRange(Directory.GetFileSystemEntries(folder));
                        seenOpen.AddRange(OpenFilesIn(folder));
                    }
                },
                null,
                new ReceiveOptions { TempDirectory = folder },
                CancellationToken.None);

            Assert.Equal(DownloadServer.Departments, records);
            if (OperatingSystem.IsLinux())
            {
                // While the block was read, its spool was open in the chosen folder, already without a name.
                string spool = Assert.Single(seenOpen);
                Assert.EndsWith(" (deleted)", spool, StringComparison.Ordinal);
            }

            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }

        [Fact]
        public async Task A_receive_with_a_missing_temp_folder_fails_before_asking_for_the_result()
        {
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, _) => DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext));
            using WeComSession session = await server.ConnectAsync();
            var options = new ReceiveOptions { TempDirectory = Path.Combine(folder, "missing") };
            var ex = await Assert.ThrowsAsync<WeComException>(() => ExportReceiver.ReceiveRecordsAsync(session, DownloadServer.Job(), _ => { }, null, options, CancellationToken.None));
            Assert.Equal("WeComTempDirectoryNotFound", ex.ErrorId);
            Assert.DoesNotContain(server.Requests, r => r.PathAndQuery.Contains("get_result", StringComparison.Ordinal));
        }

        /// <summary>The files this process holds open under <paramref name="directory"/> (Linux: /proc/self/fd).</summary>
        private static IEnumerable<string> OpenFilesIn(string directory)
        {
            if (!OperatingSystem.IsLinux())
            {
                return Array.Empty<string>();
            }

            return new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
                .Select(fd =>
                {
                    try
                    {
                        return fd.LinkTarget;
                    }
                    catch (IOException)
                    {
                        return null;
                    }
                })
                .Where(target => target is not null && target.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .Select(target => target!)
                .ToList();
        }
    }
}

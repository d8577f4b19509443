using System;
using System.IO;
using System.Linq;
using WeComExport.Api;
using WeComExport.Export;
using WeComExport.Snapshots;
using Xunit;

namespace WeComExport.Tests.Snapshots
{
    /// <summary>Which targets a snapshot may be written to, checked without any export.</summary>
    public sealed class SnapshotFolderTests : IDisposable
    {
        private readonly string work = Path.Combine(Path.GetTempPath(), "wecom-snapshot-folder-" + Guid.NewGuid().ToString("N"));

        public SnapshotFolderTests() => Directory.CreateDirectory(work);

        public void Dispose() => Directory.Delete(work, recursive: true);

        [Theory]
        [InlineData(" ", "blank")]
        [InlineData("relative/snap", "not a full path")]
        [InlineData("/", "root")]
        public void Blank_relative_and_root_paths_are_refused(string path, string says)
        {
            var ex = Assert.Throws<WeComException>(() => SnapshotWriter.CheckTarget(path, force: true));
            Assert.Equal(WeComErrors.InvalidSnapshotPath.ErrorId, ex.ErrorId);
            Assert.Contains(says, ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void A_name_too_long_for_the_staging_folder_beside_it_is_refused_before_anything_is_written()
        {
            string fits = Path.Combine(work, new string('a', 150));
            Assert.Equal(fits, SnapshotWriter.CheckTarget(fits, force: false));

            string tooLong = Path.Combine(work, new string('b', 200));
            var ex = Assert.Throws<WeComException>(() => SnapshotWriter.CheckTarget(tooLong, force: false));
            Assert.Equal(WeComErrors.InvalidSnapshotPath.ErrorId, ex.ErrorId);
            Assert.Contains("too long", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void A_full_path_is_normalized_without_trailing_separators()
        {
            string target = Path.Combine(work, "a", "..", "snap") + Path.DirectorySeparatorChar;
            Assert.Equal(Path.Combine(work, "snap"), SnapshotWriter.CheckTarget(target, force: false));
        }

        [Fact]
        public void A_folder_with_a_manifest_or_nothing_in_it_is_a_target_and_one_with_other_things_is_not()
        {
            string snapshot = Directory.CreateDirectory(Path.Combine(work, "snapshot")).FullName;
            WriteManifest(snapshot);
            File.WriteAllText(Path.Combine(snapshot, "user.block0000.json"), "{}");
            string webApp = Directory.CreateDirectory(Path.Combine(work, "web-app")).FullName;
            File.WriteAllText(Path.Combine(webApp, SnapshotManifest.FileName), "{\"name\":\"My PWA\"}");
            string empty = Directory.CreateDirectory(Path.Combine(work, "empty")).FullName;
            string other = Directory.CreateDirectory(Path.Combine(work, "other")).FullName;
            Directory.CreateDirectory(Path.Combine(other, "sub"));

            SnapshotWriter.CheckTarget(snapshot, force: false);
            SnapshotWriter.CheckTarget(empty, force: false);
            SnapshotWriter.CheckTarget(Path.Combine(work, "missing"), force: false);
            Assert.Equal(WeComErrors.SnapshotPathInUse.ErrorId, Assert.Throws<WeComException>(() => SnapshotWriter.CheckTarget(other, force: false)).ErrorId);
            SnapshotWriter.CheckTarget(other, force: true);

            // A manifest.json of another program's does not make a folder a snapshot.
            var notOurs = Assert.Throws<WeComException>(() => SnapshotWriter.CheckTarget(webApp, force: false));
            Assert.Equal(WeComErrors.SnapshotPathInUse.ErrorId, notOurs.ErrorId);
            Assert.Contains(SnapshotManifest.FormatName, notOurs.Message, StringComparison.Ordinal);
            SnapshotWriter.CheckTarget(webApp, force: true);
        }

        [Fact]
        public async System.Threading.Tasks.Task A_manifest_that_links_to_a_named_pipe_is_no_snapshot_and_is_never_opened()
        {
            if (OperatingSystem.IsWindows())
            {
                return; // NTFS has no named pipes among its files
            }

            string target = Directory.CreateDirectory(Path.Combine(work, "piped")).FullName;
            string pipe = Path.Combine(work, "a-pipe");
            using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", pipe))
            {
                mkfifo.WaitForExit();
                Assert.Equal(0, mkfifo.ExitCode);
            }

            File.CreateSymbolicLink(Path.Combine(target, SnapshotManifest.FileName), pipe);

            // On a thread of its own: an open of the pipe would wait for a writer for ever.
            var check = System.Threading.Tasks.Task.Run(() => Assert.Throws<WeComException>(() => SnapshotWriter.CheckTarget(target, force: false)));
            if (await System.Threading.Tasks.Task.WhenAny(check, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(20))) != check)
            {
                using (File.OpenWrite(pipe))
                {
                    // A writer releases the open that waits, so the test ends.
                }

                Assert.Fail("CheckTarget opened the named pipe the manifest links to.");
            }

            WeComException refused = await check;
            Assert.Equal(WeComErrors.SnapshotPathInUse.ErrorId, refused.ErrorId);
            Assert.Contains("not a regular file", refused.Message, StringComparison.Ordinal);
        }

        private static void WriteManifest(string folder)
        {
            using var file = File.Create(Path.Combine(folder, SnapshotManifest.FileName));
            SnapshotExport[] exports =
            {
                new(ExportKind.SimpleUser, "jobid_members", null, null, 0, 0, Array.Empty<SnapshotFile>()),
                new(ExportKind.Department, "jobid_departments", null, null, 0, 0, Array.Empty<SnapshotFile>()),
            };
            new SnapshotManifest("ww0123456789abcdef", "0.1.0", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, exports).WriteTo(file);
        }

        [Fact]
        public void When_the_new_folder_cannot_be_renamed_into_place_the_previous_one_is_put_back()
        {
            string target = Directory.CreateDirectory(Path.Combine(work, "snap")).FullName;
            WriteManifest(target);
            byte[] previous = File.ReadAllBytes(Path.Combine(target, SnapshotManifest.FileName));
            string missingStaging = SnapshotFolder.NameBeside(target, Environment.ProcessId, SnapshotFolder.StagingSuffix);

            var ex = Assert.Throws<WeComException>(() => SnapshotFolder.Commit(missingStaging, target, force: false));

            Assert.Equal(WeComErrors.IOError.ErrorId, ex.ErrorId);
            Assert.Contains(target, ex.Message, StringComparison.Ordinal);
            Assert.Equal(previous, File.ReadAllBytes(Path.Combine(target, SnapshotManifest.FileName)));
            Assert.Equal(new[] { "snap" }, Directory.EnumerateFileSystemEntries(work).Select(Path.GetFileName));
        }

        [Fact]
        public void A_symbolic_link_is_refused_even_when_forced()
        {
            string real = Directory.CreateDirectory(Path.Combine(work, "real")).FullName;
            string link = Path.Combine(work, "link");
            Directory.CreateSymbolicLink(link, real);
            var ex = Assert.Throws<WeComException>(() => SnapshotWriter.CheckTarget(link, force: true));
            Assert.Equal(WeComErrors.SnapshotPathInUse.ErrorId, ex.ErrorId);
            Assert.Contains("symbolic link", ex.Message, StringComparison.Ordinal);
        }
    }
}

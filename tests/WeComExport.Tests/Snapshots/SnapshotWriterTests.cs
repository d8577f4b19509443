using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Blocks;
using WeComExport.Export;
using WeComExport.Snapshots;
using Xunit;

namespace WeComExport.Tests.Snapshots
{
    /// <summary>SnapshotWriter end to end over real HTTP against the in-process emulator.</summary>
    public sealed class SnapshotWriterTests
    {
        [Fact]
        public async Task A_snapshot_lists_every_block_file_with_its_sha256_and_counts_equal_to_the_truth()
        {
            // 12,000 members in blocks of 10,000: member details in two blocks; tag 4 holds half the members, tag 6 none.
            await using SnapshotTestBed bed = await SnapshotTestBed.StartAsync(12_000);
            WeComDirectorySnapshot summary = await bed.SnapshotAsync(SnapshotTestBed.Fast(o =>
            {
                o.Detailed = true;
                o.BlockSize = 10_000;
                o.TagIds = new long[] { 4, 1, 6, 4 };
            }));

            SnapshotManifest manifest = SnapshotTestBed.ReadManifest(bed.Target);
            Assert.Equal(bed.Session.CorpId, manifest.CorpId);
            Assert.Equal(new[] { "User", "Department", "TagUser", "TagUser", "TagUser" }, manifest.Exports.Select(e => e.Kind.ToString()));
            Assert.Equal(new long?[] { null, null, 4, 1, 6 }, manifest.Exports.Select(e => e.TagId));
            Assert.Empty(manifest.CsvFiles);

            // The folder holds exactly the manifest and the files it lists, each with the hash and size computed here.
            var listed = manifest.Exports.SelectMany(e => e.Files).ToList();
            Assert.Equal(
                listed.Select(f => f.Name).Append(SnapshotManifest.FileName).OrderBy(n => n, StringComparer.Ordinal),
                Directory.EnumerateFileSystemEntries(bed.Target).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
            foreach (SnapshotFile file in listed)
            {
                string path = Path.Combine(bed.Target, file.Name);
                Assert.Equal(SnapshotTestBed.Sha256(path), file.Sha256);
                Assert.Equal(new FileInfo(path).Length, file.Bytes);
                Assert.Equal(SnapshotTestBed.IdsIn(path).Count(), file.Records);
            }

            foreach ((SnapshotExport export, string truthKind) in manifest.Exports.Zip(new[] { "user", "department", "taguser", "taguser", "taguser" }))
            {
                (int count, string digest) = await bed.TruthAsync(truthKind, export.TagId);
                Assert.Equal(count, export.RecordCount);
                Assert.Equal(export.RecordCount, export.Files.Sum(f => f.Records));
                Assert.Equal(export.BlockCount, export.Files.Count);
                Assert.Equal(digest, SnapshotTestBed.Digest(export.Files.SelectMany(f => SnapshotTestBed.IdsIn(Path.Combine(bed.Target, f.Name)))));
            }

            Assert.Equal(new[] { "user.block0000.json", "user.block0001.json" }, manifest.Exports[0].Files.Select(f => f.Name));
            Assert.Equal(new[] { "taguser-6.block0000.json" }, manifest.Exports[4].Files.Select(f => f.Name));
            Assert.Equal(0, manifest.Exports[4].RecordCount);
            Assert.Equal("全员通知", manifest.Exports[2].TagName);

            Assert.Equal(bed.Target, summary.Path);
            Assert.Equal((await bed.TruthAsync("user")).Count, summary.Members);
            Assert.Equal((await bed.TruthAsync("department")).Count, summary.Departments);
            Assert.Equal((await bed.TruthAsync("taguser", 4)).Count + (await bed.TruthAsync("taguser", 1)).Count, summary.TagMembers);
            Assert.Equal(new[] { "user", "department", "taguser-4", "taguser-1", "taguser-6" }, summary.JobIds.Keys);
            Assert.Equal(manifest.Exports.Select(e => e.JobId), summary.JobIds.Values);
            Assert.Equal(manifest.StartedAt, summary.StartedAt);
            Assert.Equal(manifest.CompletedAt, summary.CompletedAt);
            Assert.True(summary.Duration > TimeSpan.Zero);
            Assert.Equal(SnapshotFormat.Json, summary.Formats);

            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(bed.Target));
                foreach (string file in Directory.EnumerateFiles(bed.Target))
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
                }
            }

            Assert.Equal(new[] { "snap" }, Directory.EnumerateFileSystemEntries(bed.Work).Select(Path.GetFileName));
        }

        [Fact]
        public async Task All_tags_gives_one_export_per_tag_of_tag_list_named_as_tag_list_names_it()
        {
            await using SnapshotTestBed bed = await SnapshotTestBed.StartAsync(600);
            WeComDirectorySnapshot summary = await bed.SnapshotAsync(SnapshotTestBed.Fast(o => o.AllTags = true));

            SnapshotManifest manifest = SnapshotTestBed.ReadManifest(bed.Target);
            Assert.Equal("SimpleUser", manifest.Exports[0].Kind.ToString());
            SnapshotExport[] tags = manifest.Exports.Where(e => e.Kind == ExportKind.TagUser).ToArray();
            Assert.Equal(new long?[] { 1, 2, 3, 4, 5, 6 }, tags.Select(t => t.TagId));
            Assert.Equal("空标签", tags[5].TagName);
            Assert.Equal("Quote\"Tag\\ 😀 <&>", tags[4].TagName);
            long total = 0;
            foreach (SnapshotExport tag in tags)
            {
                (int count, _) = await bed.TruthAsync("taguser", tag.TagId);
                Assert.Equal(count, tag.RecordCount);
                total += count;
            }

            Assert.Equal(total, summary.TagMembers);
            Assert.Equal((await bed.TruthAsync("simple_user")).Count, summary.Members);
        }

        [Fact]
        public async Task A_second_snapshot_replaces_the_first_and_the_target_shows_the_first_until_the_second_is_complete()
        {
            await using SnapshotTestBed bed = await SnapshotTestBed.StartAsync(600);
            var seenWhileFirst = new List<bool>();
            WeComDirectorySnapshot first = await bed.SnapshotAsync(SnapshotTestBed.Fast(), p => seenWhileFirst.Add(Directory.Exists(bed.Target)));
            Assert.NotEmpty(seenWhileFirst);
            Assert.All(seenWhileFirst, Assert.False);

            SortedDictionary<string, string> before = SnapshotTestBed.Fingerprint(bed.Target);
            var checks = new List<string>();
            WeComDirectorySnapshot second = await bed.SnapshotAsync(
                SnapshotTestBed.Fast(o => o.TagIds = new long[] { 1 }),
                p =>
                {
                    if (p.Stage is SnapshotStage.Received or SnapshotStage.Committing)
                    {
                        // Never anything of the second snapshot at the target before its commit; it grows beside it.
                        Assert.Equal(before, SnapshotTestBed.Fingerprint(bed.Target));
                        string staging = Assert.Single(Directory.EnumerateDirectories(bed.Work, ".snap.*" + SnapshotFolder.StagingSuffix));
                        if (!OperatingSystem.IsWindows())
                        {
                            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(staging));
                        }

                        // Two exports' receives may end at once and report from two threads.
                        lock (checks)
                        {
                            checks.Add(p.Stage.ToString());
                        }
                    }
                });

            Assert.Equal(3, checks.Count(c => c == "Received"));
            Assert.Equal("Committing", checks.Last());
            Assert.NotEqual(before, SnapshotTestBed.Fingerprint(bed.Target));
            SnapshotManifest manifest = SnapshotTestBed.ReadManifest(bed.Target);
            Assert.Equal(second.JobIds.Values, manifest.Exports.Select(e => e.JobId));
            Assert.DoesNotContain(first.JobIds["simple_user"], manifest.Exports.Select(e => e.JobId));
            Assert.Equal(new[] { "snap" }, Directory.EnumerateFileSystemEntries(bed.Work).Select(Path.GetFileName));
        }

        [Theory]
        [InlineData("fail-job")]
        [InlineData("corrupt-byte")]
        [InlineData("timeout")]
        [InlineData("cancel")]
        public async Task A_failed_snapshot_leaves_the_previous_one_byte_for_byte_and_no_staging_folder(string failure)
        {
            await using SnapshotTestBed bed = await SnapshotTestBed.StartAsync(600);
            await bed.SnapshotAsync(SnapshotTestBed.Fast(o => o.TagIds = new long[] { 1 }));
            SortedDictionary<string, string> before = SnapshotTestBed.Fingerprint(bed.Target);
            Assert.Equal(4, before.Count);

            using var cancel = new CancellationTokenSource();
            bool stagingSeen = false;
            SnapshotOptions options = SnapshotTestBed.Fast(o =>
            {
                o.Detailed = true;
                o.TagIds = new long[] { 1, 4 };
                o.MaxConcurrentReceives = 1;
            });
            void MidWay(SnapshotProgress p)
            {
                // After the first export is written into the staging folder, the rest fails.
                if (p.Stage == SnapshotStage.Received && p.ExportsDone == 1)
                {
                    stagingSeen = Directory.EnumerateDirectories(bed.Work, ".snap.*" + SnapshotFolder.StagingSuffix).Any(d => Directory.EnumerateFiles(d).Any());
                    if (failure == "corrupt-byte")
                    {
                        bed.AddFault("corrupt-byte", 100, "/downloadobject");
                    }
                    else if (failure == "cancel")
                    {
                        cancel.Cancel();
                    }
                }
            }

            Exception error;
            if (failure == "timeout")
            {
                // Another corp whose jobs take a minute to finish; the same target folder.
                await using SnapshotTestBed slow = await SnapshotTestBed.StartAsync(50, jobDelay: TimeSpan.FromSeconds(60));
                options.Timeout = TimeSpan.FromMilliseconds(300);
                error = await Assert.ThrowsAnyAsync<Exception>(() => SnapshotWriter.WriteAsync(slow.Session, bed.Target, options, null, CancellationToken.None));
            }
            else
            {
                if (failure == "fail-job")
                {
                    await bed.AddFaultAsync("fail-job", 1, "/cgi-bin/export/taguser");
                }

                error = await Assert.ThrowsAnyAsync<Exception>(() => bed.SnapshotAsync(options, MidWay, cancel.Token));
            }

            switch (failure)
            {
                case "fail-job":
                    Assert.Equal(WeComErrors.ExportFailed.ErrorId, Assert.IsType<WeComExportFailedException>(error).ErrorId);
                    break;
                case "corrupt-byte":
                    Assert.IsType<BlockIntegrityException>(error);
                    Assert.True(stagingSeen, "the first export was written into the staging folder before the failure");
                    break;
                case "timeout":
                    Assert.Equal(WeComErrors.ExportTimeout.ErrorId, Assert.IsType<WeComExportTimeoutException>(error).ErrorId);
                    break;
                default:
                    Assert.IsAssignableFrom<OperationCanceledException>(error);
                    Assert.True(stagingSeen, "the first export was written into the staging folder before the cancellation");
                    break;
            }

            Assert.Equal(before, SnapshotTestBed.Fingerprint(bed.Target));
            Assert.Equal(new[] { "snap" }, Directory.EnumerateFileSystemEntries(bed.Work).Select(Path.GetFileName));
        }

        [Fact]
        public async Task A_folder_that_is_not_a_snapshot_is_refused_before_anything_is_sent_unless_forced()
        {
            await using SnapshotTestBed bed = await SnapshotTestBed.StartAsync(100);
            Directory.CreateDirectory(bed.Target);
            File.WriteAllText(Path.Combine(bed.Target, "notes.txt"), "mine");
            SortedDictionary<string, string> before = SnapshotTestBed.Fingerprint(bed.Target);
            await bed.ResetRequestsAsync();

            var refused = await Assert.ThrowsAsync<WeComException>(() => bed.SnapshotAsync(SnapshotTestBed.Fast()));
            Assert.Equal(WeComErrors.SnapshotPathInUse.ErrorId, refused.ErrorId);
            Assert.Equal(WeComErrorKind.ResourceExists, refused.Kind);
            Assert.Contains("not a snapshot folder", refused.Message, StringComparison.Ordinal);
            Assert.Contains("-Force", refused.Hint, StringComparison.Ordinal);
            Assert.Equal(0, await bed.RequestCountAsync());
            Assert.Equal(before, SnapshotTestBed.Fingerprint(bed.Target));
            Assert.Equal(refused.ErrorId, Assert.Throws<WeComException>(() => SnapshotWriter.CheckTarget(bed.Target, force: false)).ErrorId);

            await bed.SnapshotAsync(SnapshotTestBed.Fast(o => o.Force = true));
            Assert.False(File.Exists(Path.Combine(bed.Target, "notes.txt")));
            Assert.True(File.Exists(Path.Combine(bed.Target, SnapshotManifest.FileName)));
        }

        [Fact]
        public async Task An_empty_folder_is_filled_and_a_file_is_refused_even_when_forced()
        {
            await using SnapshotTestBed bed = await SnapshotTestBed.StartAsync(100);
            Directory.CreateDirectory(bed.Target);
            await bed.SnapshotAsync(SnapshotTestBed.Fast());
            Assert.True(File.Exists(Path.Combine(bed.Target, SnapshotManifest.FileName)));

            string file = Path.Combine(bed.Work, "file");
            File.WriteAllText(file, "mine");
            var refused = await Assert.ThrowsAsync<WeComException>(() => SnapshotWriter.WriteAsync(bed.Session, file, SnapshotTestBed.Fast(o => o.Force = true), null, CancellationToken.None));
            Assert.Equal(WeComErrors.SnapshotPathInUse.ErrorId, refused.ErrorId);
            Assert.Equal("mine", File.ReadAllText(file));
        }

        [Fact]
        public async Task Stale_folders_of_ended_writers_are_removed_or_put_back_and_a_live_writer_s_are_kept()
        {
            await using SnapshotTestBed bed = await SnapshotTestBed.StartAsync(100);
            await bed.SnapshotAsync(SnapshotTestBed.Fast());
            int ended = SnapshotTestBed.EndedProcessId();
            string Make(string target, int pid, string suffix)
            {
                string folder = SnapshotFolder.NameBeside(Path.Combine(bed.Work, target), pid, suffix);
                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Combine(folder, SnapshotManifest.FileName), target);
                return folder;
            }

            // A whole snapshot set aside: a copy of the one just written.
            string Whole(string target)
            {
                string folder = Make(target, ended, SnapshotFolder.AsideSuffix);
                foreach (string file in Directory.EnumerateFiles(bed.Target))
                {
                    File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
                }

                return folder;
            }

            string deadStaging = Make("snap", ended, SnapshotFolder.StagingSuffix);
            string liveStaging = Make("snap", Environment.ProcessId, SnapshotFolder.StagingSuffix);
            string asideOfPresent = Whole("snap");
            string asideOfMissing = Make("other.v2", ended, SnapshotFolder.AsideSuffix); // what stood there: not a snapshot's manifest
            string thesis = SnapshotFolder.NameBeside(Path.Combine(bed.Work, "thesis"), ended, SnapshotFolder.AsideSuffix);
            Directory.CreateDirectory(thesis);
            File.WriteAllText(Path.Combine(thesis, "thesis.docx"), "mine"); // a folder replaced with -Force: no manifest
            string partlyDeleted = Whole("gone");
            File.Delete(Directory.EnumerateFiles(partlyDeleted, "*.block0000.json").First());
            string asideOfOther = Whole("mine");
            Directory.CreateDirectory(Path.Combine(bed.Work, "mine"));
            File.WriteAllText(Path.Combine(bed.Work, "mine", "notes.txt"), "not a snapshot");

            // A link at the name leading to the set-aside folder itself (a user getting the data back): kept.
            string linkedBack = Whole("linked");
            Directory.CreateSymbolicLink(Path.Combine(bed.Work, "linked"), linkedBack);

            // Two folders set aside from one name by two ended writers: one goes back, the other is kept, not deleted.
            string twinSnapshot = Whole("twin");
            string twinFolder = SnapshotFolder.NameBeside(Path.Combine(bed.Work, "twin"), SnapshotTestBed.EndedProcessId(), SnapshotFolder.AsideSuffix);
            Directory.CreateDirectory(twinFolder);
            File.WriteAllText(Path.Combine(twinFolder, "notes.txt"), "mine");

            await bed.SnapshotAsync(SnapshotTestBed.Fast());

            Assert.False(Directory.Exists(deadStaging), "an ended writer's staging folder is incomplete: removed");
            Assert.True(Directory.Exists(liveStaging), "a running writer's staging folder is kept");
            Assert.False(Directory.Exists(asideOfPresent), "a previous snapshot left aside whose name is taken again: removed");
            Assert.False(Directory.Exists(asideOfMissing));
            Assert.Equal("other.v2", File.ReadAllText(Path.Combine(bed.Work, "other.v2", SnapshotManifest.FileName)));
            Assert.Equal("mine", File.ReadAllText(Path.Combine(bed.Work, "thesis", "thesis.docx")));
            Assert.False(Directory.Exists(partlyDeleted), "a snapshot set aside and partly deleted is not put back as a short one");
            Assert.False(Directory.Exists(Path.Combine(bed.Work, "gone")));
            Assert.True(Directory.Exists(asideOfOther), "the only copy of a snapshot whose place holds something else is kept");
            Assert.True(Directory.Exists(linkedBack), "a set-aside folder that a link at its name leads to is kept");
            Assert.True(Directory.Exists(Path.Combine(bed.Work, "twin")));
            string keptTwin = Directory.Exists(twinSnapshot) ? twinSnapshot : twinFolder;
            Assert.True(Directory.Exists(keptTwin), "of two folders set aside from one name, the one not put back is kept");
            Assert.Equal(
                new[] { Path.GetFileName(liveStaging), Path.GetFileName(asideOfOther), Path.GetFileName(linkedBack), Path.GetFileName(keptTwin), "linked", "mine", "other.v2", "snap", "thesis", "twin" }.OrderBy(n => n, StringComparer.Ordinal),
                Directory.EnumerateFileSystemEntries(bed.Work).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public async Task Csv_files_come_from_the_csv_writer_and_are_listed_in_the_manifest_and_csv_alone_drops_the_blocks()
        {
            await using SnapshotTestBed bed = await SnapshotTestBed.StartAsync(300);
            var calls = new List<(string Folder, string[] Present)>();
            Task<IReadOnlyList<SnapshotFile>> FakeCsv(string folder, IReadOnlyList<SnapshotExport> exports, MemberRows? rows, CancellationToken ct)
            {
                // Called in the staging folder, with every block file of every export present there, and the members' rows.
                calls.Add((folder, exports.SelectMany(e => e.Files).Select(f => f.Name).Where(n => File.Exists(Path.Combine(folder, n))).ToArray()));
                Assert.Equal(exports.SelectMany(e => e.Files).Count(), calls[^1].Present.Length);
                Assert.Equal(exports[0].RecordCount, rows!.Count);
                File.WriteAllText(Path.Combine(folder, "members.csv"), "UserId\r\n");
                return Task.FromResult<IReadOnlyList<SnapshotFile>>(new[] { new SnapshotFile("members.csv", 8, SnapshotTestBed.Sha256(Path.Combine(folder, "members.csv")), 0) });
            }

            WeComDirectorySnapshot csvOnly = await bed.SnapshotAsync(SnapshotTestBed.Fast(o =>
            {
                o.Formats = SnapshotFormat.Csv;
                o.CsvWriter = FakeCsv;
            }));

            (string folder, string[] present) = Assert.Single(calls);
            Assert.NotEqual(bed.Target, folder);
            Assert.EndsWith(SnapshotFolder.StagingSuffix, folder, StringComparison.Ordinal);
            // CSV alone writes no block file for the members: their rows are written as they arrive.
            Assert.Equal(new[] { "department.block0000.json" }, present);
            SnapshotManifest manifest = SnapshotTestBed.ReadManifest(bed.Target);
            Assert.Equal("members.csv", Assert.Single(manifest.CsvFiles).Name);
            Assert.All(manifest.Exports, e => Assert.Empty(e.Files));
            Assert.All(manifest.Exports, e => Assert.Equal(1, e.BlockCount));
            Assert.Equal((await bed.TruthAsync("simple_user")).Count, manifest.Exports[0].RecordCount);
            Assert.Equal(new[] { "manifest.json", "members.csv" }, Directory.EnumerateFiles(bed.Target).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Equal(SnapshotFormat.Csv, csvOnly.Formats);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(bed.Target, "members.csv")));
            }

            await bed.SnapshotAsync(SnapshotTestBed.Fast(o =>
            {
                o.Formats = SnapshotFormat.Json | SnapshotFormat.Csv;
                o.CsvWriter = FakeCsv;
            }));
            manifest = SnapshotTestBed.ReadManifest(bed.Target);
            Assert.Single(manifest.CsvFiles);
            Assert.All(manifest.Exports, e => Assert.Single(e.Files));
            Assert.Equal(4, Directory.EnumerateFiles(bed.Target).Count());
        }

        [Fact]
        public async Task Members_csv_written_while_receiving_is_the_file_written_from_the_block_files_with_or_without_them()
        {
            await using SnapshotTestBed bed = await SnapshotTestBed.StartAsync(700);
            void Configure(SnapshotOptions o, SnapshotFormat formats)
            {
                o.Detailed = true;
                o.Formats = formats;
                o.TagIds = new long[] { 1, 4 };

                // One receive at a time, tags included: the members wait for the departments without holding the slot.
                o.MaxConcurrentReceives = 1;
            }

            await bed.SnapshotAsync(SnapshotTestBed.Fast(o => Configure(o, SnapshotFormat.Csv)));
            byte[] csvOnly = File.ReadAllBytes(Path.Combine(bed.Target, "members.csv"));
            Assert.Equal(new[] { "departments.csv", "manifest.json", "members.csv", "tag-members.csv" }, Directory.EnumerateFiles(bed.Target).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
            SnapshotManifest manifest = SnapshotTestBed.ReadManifest(bed.Target);
            Assert.Equal(700, manifest.Exports[0].RecordCount);
            Assert.Equal(1, manifest.Exports[0].BlockCount);
            Assert.Equal(700, manifest.CsvFiles.Single(f => f.Name == "members.csv").Records);

            await bed.SnapshotAsync(SnapshotTestBed.Fast(o => Configure(o, SnapshotFormat.Json | SnapshotFormat.Csv)));
            Assert.Equal(csvOnly, File.ReadAllBytes(Path.Combine(bed.Target, "members.csv")));
            Assert.DoesNotContain(Directory.EnumerateFiles(bed.Target), f => Path.GetFileName(f).StartsWith('.'));

            // The same rows from the block files afterwards (the public writer, which reads them back).
            string copy = Path.Combine(bed.Work, "copy");
            Directory.CreateDirectory(copy);
            manifest = SnapshotTestBed.ReadManifest(bed.Target);
            foreach (SnapshotFile file in manifest.Exports.SelectMany(e => e.Files))
            {
                File.Copy(Path.Combine(bed.Target, file.Name), Path.Combine(copy, file.Name));
            }

            await SnapshotCsv.WriteAsync(copy, manifest.Exports, CancellationToken.None);
            Assert.Equal(csvOnly, File.ReadAllBytes(Path.Combine(copy, "members.csv")));
            Assert.Equal(File.ReadAllBytes(Path.Combine(bed.Target, "departments.csv")), File.ReadAllBytes(Path.Combine(copy, "departments.csv")));
        }

        [Fact]
        public async Task A_failed_department_export_fails_a_csv_snapshot_whose_members_wait_for_it_with_its_own_error()
        {
            await using SnapshotTestBed bed = await SnapshotTestBed.StartAsync(300);
            await bed.AddFaultAsync("fail-job", 1, "/cgi-bin/export/department");

            var error = await Assert.ThrowsAsync<WeComExportFailedException>(() => bed.SnapshotAsync(SnapshotTestBed.Fast(o => o.Formats = SnapshotFormat.Csv)));

            Assert.Equal(WeComErrors.ExportFailed.ErrorId, error.ErrorId);
            Assert.Empty(Directory.EnumerateFileSystemEntries(bed.Work));
        }

        [Fact]
        public void The_csv_writer_is_SnapshotCsv_WriteAsync_unless_a_test_replaces_it()
        {
            var writer = new SnapshotOptions().CsvWriter;
            Assert.Equal(typeof(SnapshotCsv), writer.Method.DeclaringType);
            Assert.Equal(nameof(SnapshotCsv.WriteAsync), writer.Method.Name);
        }
    }
}

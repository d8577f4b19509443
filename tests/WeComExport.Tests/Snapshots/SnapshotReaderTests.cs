using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using WeComExport.Api;
using WeComExport.Blocks;
using WeComExport.Diagnostics;
using WeComExport.Export;
using WeComExport.Records;
using WeComExport.Snapshots;
using Xunit;

namespace WeComExport.Tests.Snapshots
{
    public class SnapshotReaderTests
    {
        [Fact]
        public void A_snapshot_reads_back_as_typed_records_with_the_manifest_s_corp_and_tag()
        {
            using HandMadeSnapshot snapshot = Standard();

            var (records, problems) = snapshot.ReadAll();

            Assert.Empty(problems);
            Assert.Equal(new[] { "zhangsan", "lisi", "wangwu" }, records.OfType<WeComUser>().Select(u => u.UserId));
            Assert.Equal(new long[] { 1, 2 }, records.OfType<WeComDepartment>().Select(d => d.Id));
            var members = records.OfType<WeComTagMember>().ToList();
            Assert.Equal(3, members.Count);
            Assert.All(members, m => Assert.Equal(7, m.TagId));
            Assert.All(members, m => Assert.Equal("乒乓球协会", m.TagName));
            Assert.All(records, r => Assert.Equal(HandMadeSnapshot.CorpId, r.CorpId));
            Assert.Equal("后台工程师", records.OfType<WeComUser>().Single(u => u.UserId == "lisi").Position);
        }

        [Fact]
        public void A_tag_block_whose_tagname_comes_last_takes_the_manifest_s_name_until_then()
        {
            using var snapshot = new HandMadeSnapshot();
            snapshot.Export(ExportKind.SimpleUser).Export(ExportKind.Department)
                .Export(ExportKind.TagUser, 9, "来自清单", ("taguser-9.block0000.json", BlockJson.TagMembersNameLast("来自块", new[] { "a", "b" }))).WriteManifest();

            var (records, problems) = snapshot.ReadAll();

            Assert.Empty(problems);
            Assert.All(records.Cast<WeComTagMember>(), m => Assert.Equal("来自清单", m.TagName));
            Assert.All(records.Cast<WeComTagMember>(), m => Assert.Equal(9, m.TagId));
        }

        [Fact]
        public void A_changed_file_is_an_error_naming_it_no_record_of_it_comes_out_and_the_other_files_are_read()
        {
            using HandMadeSnapshot snapshot = Standard();
            // Same size, one byte different, near the end: its first records parse fine, none may come out.
            string path = snapshot["simple_user.block0001.json"];
            string text = File.ReadAllText(path);
            File.WriteAllText(path, text.Replace("wangwu", "wangwv"), new UTF8Encoding(false));

            var (records, problems) = snapshot.ReadAll();

            var (problemPath, error) = Assert.Single(problems);
            Assert.Equal(path, problemPath);
            Assert.Equal(WeComErrors.SnapshotFileChanged.ErrorId, error.ErrorId);
            Assert.Equal(WeComErrorKind.InvalidData, error.Kind);
            Assert.Contains("simple_user.block0001.json", error.Message);
            Assert.Contains("SHA-256", error.Message);
            Assert.DoesNotContain(records, r => r is WeComUser { UserId: "wangwu" or "wangwv" });
            Assert.Equal(new[] { "zhangsan", "lisi" }, records.OfType<WeComUser>().Select(u => u.UserId));
            Assert.Equal(2, records.OfType<WeComDepartment>().Count());
            Assert.Equal(3, records.OfType<WeComTagMember>().Count());
        }

        [Fact]
        public void A_file_of_another_size_is_an_error_before_it_is_even_hashed()
        {
            using HandMadeSnapshot snapshot = Standard();
            File.AppendAllText(snapshot["department.block0000.json"], " ");

            var (records, problems) = snapshot.ReadAll();

            var (_, error) = Assert.Single(problems);
            Assert.Equal(WeComErrors.SnapshotFileChanged.ErrorId, error.ErrorId);
            Assert.Contains("bytes", error.Message);
            Assert.Empty(records.OfType<WeComDepartment>());
            Assert.Equal(3, records.OfType<WeComUser>().Count());
        }

        [Fact]
        public void A_missing_file_is_an_error_naming_it_and_the_other_files_are_read()
        {
            using HandMadeSnapshot snapshot = Standard();
            File.Delete(snapshot["simple_user.block0000.json"]);

            var (records, problems) = snapshot.ReadAll();

            var (problemPath, error) = Assert.Single(problems);
            Assert.Equal(snapshot["simple_user.block0000.json"], problemPath);
            Assert.Equal(WeComErrors.SnapshotFileMissing.ErrorId, error.ErrorId);
            Assert.Equal(WeComErrorKind.NotFound, error.Kind);
            Assert.Contains("simple_user.block0000.json", error.Message);
            Assert.Equal(new[] { "wangwu" }, records.OfType<WeComUser>().Select(u => u.UserId));
            Assert.Equal(5, records.Count(r => r is not WeComUser));
        }

        [Fact]
        public void Kind_reads_one_kind_and_does_not_even_open_the_other_files()
        {
            using HandMadeSnapshot snapshot = Standard();
            File.Delete(snapshot["simple_user.block0000.json"]);
            File.AppendAllText(snapshot["taguser-7.block0000.json"], "x");

            var (records, problems) = snapshot.ReadAll(WeComRecordKind.Department);

            Assert.Empty(problems);
            Assert.Equal(2, records.Count);
            Assert.All(records, r => Assert.IsType<WeComDepartment>(r));
        }

        [Fact]
        public void Block_files_without_a_manifest_are_read_unverified_with_no_corp_and_their_kind_from_name_or_content()
        {
            using var folder = new HandMadeSnapshot();
            File.WriteAllText(folder["jobA.block0000.json"], BlockJson.Departments(BlockJson.Department(5, "五部")));
            File.WriteAllText(folder["jobB.block0000.json"], BlockJson.TagMembers("标签", new[] { "u1" }, new long[] { 3 }));
            File.WriteAllText(folder["taguser-42.block0000.json"], BlockJson.TagMembers("标签42", new[] { "u2" }, System.Array.Empty<long>()));
            File.WriteAllText(folder["user.block0000.json"], BlockJson.Users(BlockJson.User("u3")));
            File.WriteAllText(folder["notes.json"], "{\"not\":\"a block\"}");

            var (records, problems) = folder.ReadAll();

            Assert.Empty(problems);
            Assert.All(records, r => Assert.Null(r.CorpId));
            Assert.Equal(5, records.OfType<WeComDepartment>().Single().Id);
            Assert.Equal(0, records.OfType<WeComTagMember>().First(m => m.UserId == "u1").TagId);
            Assert.Equal(42, records.OfType<WeComTagMember>().Single(m => m.UserId == "u2").TagId);
            Assert.Equal("u3", records.OfType<WeComUser>().Single().UserId);
            Assert.Equal(5, records.Count);
        }

        [Fact]
        public void A_folder_of_blocks_read_whole_warns_of_nothing()
        {
            using var folder = new HandMadeSnapshot();
            File.WriteAllText(folder["jobA.block0000.json"], BlockJson.Users(BlockJson.User("u1")));
            File.WriteAllText(folder["jobA.block0001.json"], BlockJson.Users(BlockJson.User("u2")));
            File.WriteAllText(folder["jobB.block0000.json"], BlockJson.Departments(BlockJson.Department(5, "五部")));
            File.WriteAllText(folder["taguser-42.block0000.json"], BlockJson.TagMembers("标签42", new[] { "u2" }, System.Array.Empty<long>()));

            var (records, warnings) = ReadWithWarnings(folder);

            Assert.Equal(4, records.Count);
            Assert.Empty(warnings);
        }

        [Theory]
        [InlineData("unfinished write", "unfinished file")]
        [InlineData("missing block", "skip block 1")]
        [InlineData("two receives", "another export of User records")]
        [InlineData("unlisted file", "does not list")]
        [InlineData("one block saved twice", "jobA.block0001.json holds the same bytes as")]
        public void What_a_folder_shows_of_missing_or_doubled_records_is_a_warning(string situation, string expected)
        {
            using HandMadeSnapshot folder = situation == "unlisted file" ? Standard() : new HandMadeSnapshot();
            switch (situation)
            {
                case "unfinished write":
                    File.WriteAllText(folder["jobA.block0000.json"], BlockJson.Users(BlockJson.User("u1")));
                    File.WriteAllText(folder[".jobA.block0001.json.host-1.12345." + new string('a', 32) + ".wecomexport.tmp"], "{\"userlist\":[");
                    break;
                case "missing block":
                    File.WriteAllText(folder["jobA.block0000.json"], BlockJson.Users(BlockJson.User("u1")));
                    File.WriteAllText(folder["jobA.block0002.json"], BlockJson.Users(BlockJson.User("u3")));
                    break;
                case "two receives":
                    File.WriteAllText(folder["jobA.block0000.json"], BlockJson.Users(BlockJson.User("u1")));
                    File.WriteAllText(folder["jobB.block0000.json"], BlockJson.Users(BlockJson.User("u1")));
                    break;
                case "one block saved twice":
                    File.WriteAllText(folder["jobA.block0000.json"], BlockJson.Users(BlockJson.User("u1")));
                    File.WriteAllText(folder["jobA.block0001.json"], BlockJson.Users(BlockJson.User("u1")));
                    File.WriteAllText(folder["jobA.block0002.json"], BlockJson.Users(BlockJson.User("u9")));
                    break;
                default:
                    File.WriteAllText(folder["simple_user.block0002.json"], BlockJson.Users(BlockJson.User("stray")));
                    break;
            }

            var (records, warnings) = ReadWithWarnings(folder);

            Assert.Contains(warnings, w => w.Contains(expected, System.StringComparison.Ordinal));
            if (situation == "unlisted file")
            {
                Assert.DoesNotContain(records, r => r is WeComUser { UserId: "stray" });
            }
        }

        [Fact]
        public void Two_files_of_the_same_bytes_named_one_by_one_in_one_read_warn_before_the_second_is_read()
        {
            using var folder = new HandMadeSnapshot();
            File.WriteAllText(folder["a.block0000.json"], BlockJson.Users(BlockJson.User("u1")));
            File.WriteAllText(folder["b.block0000.json"], BlockJson.Users(BlockJson.User("u1")));
            File.WriteAllText(folder["c.block0000.json"], BlockJson.Users(BlockJson.User("u2")));
            var reader = new SnapshotReader();
            var warnings = new List<string>();
            var records = new List<WeComRecord>();
            using (WarningsInto(warnings))
            {
                // a read again (as Compare reads its reference twice) is not a copy of itself.
                foreach (string name in new[] { "a.block0000.json", "c.block0000.json", "b.block0000.json", "a.block0000.json" })
                {
                    records.AddRange(reader.Read(folder[name], (_, e) => Assert.Fail(e.Message), CancellationToken.None));
                }
            }

            Assert.Equal(4, records.Count);
            string warning = Assert.Single(warnings, w => w.Contains("holds the same bytes", System.StringComparison.Ordinal));
            Assert.Contains("b.block0000.json holds the same bytes as " + folder["a.block0000.json"], warning, System.StringComparison.Ordinal);
        }

        [Fact]
        public void A_folder_full_of_stray_files_gives_one_short_warning()
        {
            using HandMadeSnapshot folder = Standard();
            for (int i = 0; i < 2000; i++)
            {
                File.WriteAllText(folder[$"stray{i}.block0000.json"], "{}");
            }

            var (_, warnings) = ReadWithWarnings(folder);

            string warning = Assert.Single(warnings);
            Assert.Contains("and 1,995 more", warning, System.StringComparison.Ordinal);
            Assert.InRange(warning.Length, 1, 600);
        }

        [Fact]
        public void A_block_file_given_alone_is_verified_when_the_manifest_beside_it_lists_it()
        {
            using HandMadeSnapshot snapshot = Standard();

            var (records, problems) = snapshot.ReadAll(path: snapshot["department.block0000.json"]);
            Assert.Empty(problems);
            Assert.All(records, r => Assert.Equal(HandMadeSnapshot.CorpId, r.CorpId));
            Assert.Equal(2, records.Count);

            File.WriteAllText(snapshot["department.block0000.json"], File.ReadAllText(snapshot["department.block0000.json"]).Replace("一部", "二部"));
            (records, problems) = snapshot.ReadAll(path: snapshot["department.block0000.json"]);
            Assert.Empty(records);
            Assert.Equal(WeComErrors.SnapshotFileChanged.ErrorId, Assert.Single(problems).Error.ErrorId);
        }

        [Fact]
        public void A_block_file_the_manifest_beside_it_does_not_list_is_read_unverified()
        {
            using HandMadeSnapshot snapshot = Standard();
            string extra = snapshot["jobX.block0000.json"];
            File.WriteAllText(extra, BlockJson.Users(BlockJson.User("extra")));

            var (records, problems) = snapshot.ReadAll(path: extra);

            Assert.Empty(problems);
            Assert.Null(Assert.Single(records).CorpId);
            // Read as a folder, the snapshot is what its manifest lists: the extra file is not part of it.
            Assert.DoesNotContain(snapshot.ReadAll().Records, r => r is WeComUser { UserId: "extra" });
        }

        [Fact]
        public void The_manifest_given_as_a_file_is_not_data()
        {
            using HandMadeSnapshot snapshot = Standard();
            var (records, problems) = snapshot.ReadAll(path: snapshot[SnapshotManifest.FileName]);
            Assert.Empty(records);
            Assert.Empty(problems);
        }

        [Fact]
        public void A_csv_only_snapshot_is_an_error_saying_json_is_needed()
        {
            using HandMadeSnapshot snapshot = WithoutBlockFiles("UserId,Name\nzhangsan,张三\n", 1);

            var (records, problems) = snapshot.ReadAll();

            Assert.Empty(records);
            var (path, error) = Assert.Single(problems);
            Assert.Equal(snapshot.Path, path);
            Assert.Equal(WeComErrors.SnapshotJsonRequired.ErrorId, error.ErrorId);
            Assert.Contains("CSV", error.Message);
            Assert.Contains("JSON", error.Message);
        }

        [Fact]
        public void A_json_and_csv_snapshot_of_exports_answered_with_no_block_reads_as_no_records()
        {
            using HandMadeSnapshot snapshot = WithoutBlockFiles("UserId,Name\n", 0);

            var (records, problems) = snapshot.ReadAll();

            Assert.Empty(records);
            Assert.Empty(problems);
        }

        [Fact]
        public void A_damaged_manifest_is_an_error_and_nothing_it_would_vouch_for_is_read()
        {
            using HandMadeSnapshot snapshot = Standard();
            File.WriteAllText(snapshot[SnapshotManifest.FileName], "{\"format\":\"something else\"}");

            var (records, problems) = snapshot.ReadAll();
            Assert.Empty(records);
            Assert.Equal(WeComErrors.InvalidSnapshotManifest.ErrorId, Assert.Single(problems).Error.ErrorId);

            (records, problems) = snapshot.ReadAll(path: snapshot["department.block0000.json"]);
            Assert.Empty(records);
            var (path, error) = Assert.Single(problems);
            Assert.Equal(snapshot["department.block0000.json"], path);
            Assert.Contains(SnapshotManifest.FileName, error.Message);
        }

        public static TheoryData<string, string> ManifestShapes() => new()
        {
            { "no export at all", "lists no export" },
            { "two member exports", "2 member export(s) and 1 department export(s)" },
            { "a tag twice", "tag 7's export twice" },
            { "a tag id that is not its files'", "named taguser-8.blockNNNN.json" },
            { "a member file under the department export", "named department.blockNNNN.json" },
        };

        [Theory]
        [MemberData(nameof(ManifestShapes))]
        public void A_manifest_of_another_shape_than_Export_writes_is_an_error_and_nothing_is_read(string edit, string says)
        {
            using HandMadeSnapshot snapshot = Standard();
            SnapshotManifest written;
            using (FileStream manifest = File.OpenRead(snapshot[SnapshotManifest.FileName]))
            {
                written = SnapshotManifest.ReadFrom(manifest);
            }

            SnapshotExport members = written.Exports[0], departments = written.Exports[1], tag = written.Exports[2];
            SnapshotExport[] exports = edit switch
            {
                "no export at all" => System.Array.Empty<SnapshotExport>(),
                "two member exports" => new[] { members, departments, tag, new SnapshotExport(ExportKind.User, "job9", null, null, 0, 0, System.Array.Empty<SnapshotFile>()) },
                "a tag twice" => new[] { members, departments, tag, new SnapshotExport(ExportKind.TagUser, "job9", 7, null, 0, 0, System.Array.Empty<SnapshotFile>()) },
                "a tag id that is not its files'" => new[] { members, departments, new SnapshotExport(ExportKind.TagUser, tag.JobId, 8, tag.TagName, tag.BlockCount, tag.RecordCount, tag.Files) },
                _ => new[] { new SnapshotExport(members.Kind, members.JobId, null, null, 1, members.Files[1].Records, new[] { members.Files[1] }), new SnapshotExport(ExportKind.Department, departments.JobId, null, null, 2, departments.RecordCount + members.Files[0].Records, new[] { departments.Files[0], members.Files[0] }), tag },
            };
            snapshot.WriteManifest(exportsInstead: exports);

            AssertManifestRefused(snapshot, says);
        }

        /// <summary>While the result is not disposed, the engine's warnings on this flow go into <paramref name="warnings"/>.</summary>
        private static System.IDisposable WarningsInto(List<string> warnings) =>
            WeComLog.BeginScope((level, line) =>
            {
                if (level == WeComLogLevel.Warning)
                {
                    warnings.Add(line);
                }
            });

        /// <summary>Nothing of the snapshot is read, and its one problem is the manifest (saying <paramref name="says"/>, when given).</summary>
        private static void AssertManifestRefused(HandMadeSnapshot snapshot, string? says = null)
        {
            var (records, problems) = snapshot.ReadAll();

            Assert.Empty(records);
            var (_, error) = Assert.Single(problems);
            Assert.Equal(WeComErrors.InvalidSnapshotManifest.ErrorId, error.ErrorId);
            if (says is not null)
            {
                Assert.Contains(says, error.Message, System.StringComparison.Ordinal);
            }
        }

        [Fact]
        public void A_manifest_entry_that_is_no_object_is_named_as_such()
        {
            using HandMadeSnapshot snapshot = Standard();
            string manifest = File.ReadAllText(snapshot[SnapshotManifest.FileName]);
            System.Text.RegularExpressions.Match files = System.Text.RegularExpressions.Regex.Match(manifest, "\"files\":\\s*\\[");
            Assert.True(files.Success);
            File.WriteAllText(snapshot[SnapshotManifest.FileName], manifest.Insert(files.Index + files.Length, "null,"));

            AssertManifestRefused(snapshot, "'files' list holds null where an entry (an object) belongs");
        }

        [Theory]
        [InlineData("\"tagId\":\\s*7", "\"tagId\": \"7\"", "'tagId' is not a whole number")]
        [InlineData("\"tagId\":\\s*7", "\"tagId\": 7.5", "'tagId' is not a whole number")]
        [InlineData("\"tagName\":\\s*\"[^\"]*\"", "\"tagName\": 5", "'tagName' is not text")]
        public void A_manifest_field_of_another_type_is_named_as_such(string field, string replacement, string says)
        {
            using HandMadeSnapshot snapshot = Standard();
            string manifest = File.ReadAllText(snapshot[SnapshotManifest.FileName]);
            string edited = System.Text.RegularExpressions.Regex.Replace(manifest, field, replacement);
            Assert.NotEqual(manifest, edited);
            File.WriteAllText(snapshot[SnapshotManifest.FileName], edited);

            AssertManifestRefused(snapshot, says);
        }

        [Fact]
        public void A_folder_in_place_of_the_manifest_or_of_a_listed_block_is_named_as_a_folder()
        {
            using HandMadeSnapshot snapshot = Standard();
            File.Delete(snapshot["department.block0000.json"]);
            Directory.CreateDirectory(snapshot["department.block0000.json"]);

            var (records, problems) = snapshot.ReadAll();
            var (_, error) = Assert.Single(problems);
            Assert.Equal(WeComErrors.InvalidBlockFile.ErrorId, error.ErrorId);
            Assert.Contains("is a folder, not a block file", error.Message, System.StringComparison.Ordinal);
            Assert.NotEmpty(records);

            File.Delete(snapshot[SnapshotManifest.FileName]);
            Directory.CreateDirectory(snapshot[SnapshotManifest.FileName]);
            AssertManifestRefused(snapshot);
        }

        [Fact]
        public void A_staging_folder_left_by_a_stopped_export_is_read_with_a_warning_naming_the_snapshot()
        {
            using HandMadeSnapshot standard = Standard();
            string snapshot = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(standard.Path)!, "snap-" + System.Guid.NewGuid().ToString("N"));
            string staging = SnapshotFolder.NameBeside(snapshot, 4242, SnapshotFolder.StagingSuffix);
            Directory.CreateDirectory(staging);
            try
            {
                File.Copy(standard["simple_user.block0000.json"], System.IO.Path.Combine(staging, "simple_user.block0000.json"));
                var warnings = new List<string>();
                int records;
                using (WarningsInto(warnings))
                {
                    records = new SnapshotReader().Read(staging, (_, e) => throw e, CancellationToken.None).Count();
                }

                Assert.Equal(2, records);
                Assert.Contains(warnings, w => w.Contains("may hold only part of the directory", System.StringComparison.Ordinal) && w.Contains(snapshot, System.StringComparison.Ordinal));
            }
            finally
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        [Fact]
        public void A_reader_of_each_file_once_reads_a_file_named_twice_once_and_says_so()
        {
            using HandMadeSnapshot snapshot = Standard();
            var problems = new List<(string, WeComException)>();
            var once = new SnapshotReader(eachFileOnce: true);
            var warnings = new List<string>();
            List<WeComRecord> records;
            using (WarningsInto(warnings))
            {
                records = once.Read(snapshot.Path, (p, e) => problems.Add((p, e)), CancellationToken.None)
                    .Concat(once.Read(snapshot.Path, (p, e) => problems.Add((p, e)), CancellationToken.None))
                    .Concat(once.Read(snapshot["simple_user.block0001.json"], (p, e) => problems.Add((p, e)), CancellationToken.None))
                    .ToList();
            }

            Assert.Empty(problems);
            Assert.Equal(snapshot.ReadAll().Records.Count, records.Count);
            Assert.Equal(5, warnings.Count(w => w.Contains("was read already", System.StringComparison.Ordinal)));

            // A reader without the rule (Compare's) reads a side as often as it is asked to.
            var again = new SnapshotReader();
            Assert.Equal(2 * records.Count, again.Read(snapshot.Path, (p, e) => problems.Add((p, e)), CancellationToken.None)
                .Concat(again.Read(snapshot.Path, (p, e) => problems.Add((p, e)), CancellationToken.None)).Count());
        }

        [Fact]
        public void A_manifest_that_cannot_be_opened_is_a_read_failure_not_a_damaged_manifest()
        {
            using HandMadeSnapshot snapshot = Standard();

            // Held exclusively: .NET refuses another open of it (a lock on Unix, a sharing violation on Windows).
            using (new FileStream(snapshot[SnapshotManifest.FileName], FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                var (records, problems) = snapshot.ReadAll();
                Assert.Empty(records);
                var (_, error) = Assert.Single(problems);
                Assert.Equal(WeComErrors.ReadFailed.ErrorId, error.ErrorId);
                Assert.Contains(SnapshotManifest.FileName, error.Message);
            }
        }

        [Fact]
        public void An_empty_manifest_or_block_file_is_reported_as_empty_or_not_a_regular_file()
        {
            using HandMadeSnapshot snapshot = Standard();
            File.WriteAllBytes(snapshot["department.block0000.json"], System.Array.Empty<byte>());

            var (records, problems) = snapshot.ReadAll();
            var (path, error) = Assert.Single(problems);
            Assert.Equal(snapshot["department.block0000.json"], path);
            Assert.Equal(WeComErrors.SnapshotFileChanged.ErrorId, error.ErrorId);
            Assert.Contains("is empty, or is not a regular file", error.Message);
            Assert.NotEmpty(records);

            File.WriteAllBytes(snapshot[SnapshotManifest.FileName], System.Array.Empty<byte>());
            AssertManifestRefused(snapshot);
        }

        [Fact]
        public void An_oversized_manifest_is_refused_without_being_read_whole()
        {
            using HandMadeSnapshot snapshot = Standard();
            using (var file = new FileStream(snapshot[SnapshotManifest.FileName], FileMode.Create))
            {
                // Valid JSON the whole way (one long string), past the cap.
                file.Write("{\"format\":\""u8);
                var filler = new byte[1 << 20];
                System.Array.Fill(filler, (byte)'a');
                for (int i = 0; i <= SnapshotManifest.MaxBytes >> 20; i++)
                {
                    file.Write(filler);
                }

                file.Write("\"}"u8);
            }

            var (records, problems) = snapshot.ReadAll();
            Assert.Empty(records);
            var (_, error) = Assert.Single(problems);
            Assert.Equal(WeComErrors.InvalidSnapshotManifest.ErrorId, error.ErrorId);
            Assert.Contains("larger than", error.Message);
        }

        [Fact]
        public void A_file_cut_short_with_its_hash_and_size_edited_in_the_manifest_is_an_error_not_a_short_result()
        {
            using HandMadeSnapshot snapshot = Standard();
            // The tamper the hash cannot see: a valid but shorter file, its new size and SHA-256 written into the manifest,
            // the record counts left as they were.
            string path = snapshot["simple_user.block0000.json"];
            File.WriteAllText(path, BlockJson.Users(BlockJson.User("zhangsan")), new UTF8Encoding(false));
            SnapshotFile shorter = HandMadeSnapshot.Describe(path, ExportKind.SimpleUser);
            string manifest = File.ReadAllText(snapshot[SnapshotManifest.FileName]);
            var edited = System.Text.Json.Nodes.JsonNode.Parse(manifest)!;
            foreach (var file in edited["exports"]!.AsArray().SelectMany(e => e!["files"]!.AsArray()).Where(f => (string?)f!["name"] == "simple_user.block0000.json"))
            {
                Assert.NotEqual(shorter.Records, (long)file!["records"]!);
                file["bytes"] = shorter.Bytes;
                file["sha256"] = shorter.Sha256;
            }

            File.WriteAllText(snapshot[SnapshotManifest.FileName], edited.ToJsonString());

            var (records, problems) = snapshot.ReadAll(WeComRecordKind.User);

            var (problemPath, error) = Assert.Single(problems);
            Assert.Equal(path, problemPath);
            Assert.Equal(WeComErrors.InvalidSnapshotManifest.ErrorId, error.ErrorId);
            Assert.Contains("holds 1 records", error.Message);
            Assert.Contains("zhangsan", records.OfType<WeComUser>().Select(u => u.UserId));
        }

        [Theory]
        [InlineData("twice")]
        [InlineData("copy")]
        [InlineData("recordCount")]
        [InlineData("blockCount")]
        public void A_manifest_whose_counts_disagree_or_that_lists_a_file_twice_is_an_error_and_nothing_is_read(string edit)
        {
            using HandMadeSnapshot snapshot = Standard();
            var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(snapshot[SnapshotManifest.FileName]))!;
            var departments = manifest["exports"]!.AsArray().Single(e => (string?)e!["kind"] == "Department")!;
            switch (edit)
            {
                case "twice":
                    // Counts kept consistent, so only the repeated name gives it away.
                    var files = departments["files"]!.AsArray();
                    files.Add(files[0]!.DeepClone());
                    departments["blockCount"] = files.Count;
                    departments["recordCount"] = files.Sum(f => (long)f!["records"]!);
                    break;
                case "copy":
                    // A copy of a block under another name, listed as a block of its own with its true hash: counts consistent.
                    File.Copy(snapshot["department.block0000.json"], snapshot["department.block0001.json"]);
                    var copied = departments["files"]!.AsArray();
                    var copy = copied[0]!.DeepClone();
                    copy["name"] = "department.block0001.json";
                    copied.Add(copy);
                    departments["blockCount"] = copied.Count;
                    departments["recordCount"] = copied.Sum(f => (long)f!["records"]!);
                    break;
                case "recordCount":
                    departments["recordCount"] = (long)departments["recordCount"]! + 1;
                    break;
                default:
                    departments["blockCount"] = (long)departments["blockCount"]! + 1;
                    break;
            }

            File.WriteAllText(snapshot[SnapshotManifest.FileName], manifest.ToJsonString());

            var (records, problems) = snapshot.ReadAll();

            Assert.Empty(records);
            var (_, error) = Assert.Single(problems);
            Assert.Equal(WeComErrors.InvalidSnapshotManifest.ErrorId, error.ErrorId);
            Assert.Contains(edit switch { "twice" => "twice", "copy" => "same SHA-256", _ => "but its files list" }, error.Message);
        }

        [Fact]
        public void A_manifest_with_fields_of_the_wrong_type_is_an_error_not_a_crash()
        {
            using HandMadeSnapshot snapshot = Standard();
            string manifest = File.ReadAllText(snapshot[SnapshotManifest.FileName]);
            File.WriteAllText(snapshot[SnapshotManifest.FileName], System.Text.RegularExpressions.Regex.Replace(manifest, "\"blockCount\":\\s*\\d+", "\"blockCount\": \"2\""));

            AssertManifestRefused(snapshot);
        }

        [Fact]
        public void A_file_that_is_not_a_block_or_not_the_kind_its_name_says_is_an_error_naming_it()
        {
            using var folder = new HandMadeSnapshot();
            File.WriteAllText(folder["jobA.block0000.json"], "{\"errcode\":0,\"errmsg\":\"ok\"}");
            File.WriteAllText(folder["department.block0000.json"], BlockJson.Users(BlockJson.User("u1")));
            File.WriteAllText(folder["user.block0000.json"], BlockJson.Users(BlockJson.User("u2")));

            var (records, problems) = folder.ReadAll();

            Assert.Equal("u2", ((WeComUser)Assert.Single(records)).UserId);
            Assert.Equal(2, problems.Count);
            Assert.All(problems, p => Assert.Equal(WeComErrors.InvalidBlockFile.ErrorId, p.Error.ErrorId));
            Assert.Contains(problems, p => p.Path == folder["jobA.block0000.json"] && p.Error.Message.Contains("jobA.block0000.json", System.StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Path == folder["department.block0000.json"]);
        }

        [Fact]
        public void A_path_that_does_not_exist_or_a_folder_without_blocks_is_not_found()
        {
            using var folder = new HandMadeSnapshot();
            var (records, problems) = folder.ReadAll();
            Assert.Empty(records);
            Assert.Equal(WeComErrors.PathNotFound.ErrorId, Assert.Single(problems).Error.ErrorId);

            (_, problems) = folder.ReadAll(path: folder["nothing-here"]);
            Assert.Equal(WeComErrors.PathNotFound.ErrorId, Assert.Single(problems).Error.ErrorId);
        }

        [Fact]
        public void Blocks_of_a_folder_are_read_in_block_order()
        {
            using var folder = new HandMadeSnapshot();
            File.WriteAllText(folder["job.block0010.json"], BlockJson.Users(BlockJson.User("ten")));
            File.WriteAllText(folder["job.block0002.json"], BlockJson.Users(BlockJson.User("two")));
            File.WriteAllText(folder["job.block0001.json"], BlockJson.Users(BlockJson.User("one")));

            Assert.Equal(new[] { "one", "two", "ten" }, folder.ReadAll().Records.Cast<WeComUser>().Select(u => u.UserId));
        }

        [Fact]
        public void Records_equal_what_the_block_reader_gives_for_the_same_bytes()
        {
            using HandMadeSnapshot snapshot = Standard();
            using var stream = File.OpenRead(snapshot["simple_user.block0000.json"]);
            var direct = ExportRecordReader.Read(stream, ExportKind.SimpleUser, null, CancellationToken.None).ToList();
            var read = snapshot.ReadAll(path: snapshot["simple_user.block0000.json"]).Records;

            Assert.Empty(DirectoryComparer.Compare(() => direct, read, includeEqual: false));
            Assert.Equal(direct.Count, read.Count);
        }

        [Fact]
        public void ListedRecordCount_is_the_manifest_s_count_of_the_kind_read()
        {
            using HandMadeSnapshot snapshot = Standard();
            Assert.Equal(8, new SnapshotReader().ListedRecordCount(snapshot.Path));
            Assert.Equal(3, new SnapshotReader(WeComRecordKind.User).ListedRecordCount(snapshot.Path));
            Assert.Equal(0, new SnapshotReader().ListedRecordCount(snapshot["nothing-here"]));
        }

        /// <summary>Reads the folder, collecting the engine's warnings (WeComLog) and failing on any problem.</summary>
        private static (List<WeComRecord> Records, List<string> Warnings) ReadWithWarnings(HandMadeSnapshot folder)
        {
            var warnings = new List<string>();
            using (WarningsInto(warnings))
            {
                var (records, problems) = folder.ReadAll();
                Assert.Empty(problems);
                return (records, warnings);
            }
        }

        /// <summary>
        /// A snapshot with users.csv and no block file: a member and a department export of <paramref name="recordsEach"/>
        /// records in as many blocks (a CSV-only snapshot), or of none (exports WeCom answered with no block).
        /// </summary>
        private static HandMadeSnapshot WithoutBlockFiles(string usersCsv, long recordsEach)
        {
            var snapshot = new HandMadeSnapshot();
            File.WriteAllText(snapshot["users.csv"], usersCsv);
            var csv = new[] { new SnapshotFile("users.csv", Encoding.UTF8.GetByteCount(usersCsv), new string('0', 64), recordsEach) };
            var exports = new[]
            {
                new SnapshotExport(ExportKind.SimpleUser, "job0", null, null, recordsEach, recordsEach, System.Array.Empty<SnapshotFile>()),
                new SnapshotExport(ExportKind.Department, "job1", null, null, recordsEach, recordsEach, System.Array.Empty<SnapshotFile>()),
            };
            snapshot.WriteManifest(csv: csv, exportsInstead: exports);
            return snapshot;
        }

        /// <summary>Members in two blocks, departments, and one tag's members (two users, one department).</summary>
        internal static HandMadeSnapshot Standard(string? path = null)
        {
            var snapshot = new HandMadeSnapshot(path);
            snapshot
                .Export(
                    ExportKind.SimpleUser,
                    null,
                    null,
                    ("simple_user.block0000.json", BlockJson.Users(BlockJson.User("zhangsan", "张三"), BlockJson.User("lisi", "李四", position: "后台工程师"))),
                    ("simple_user.block0001.json", BlockJson.Users(BlockJson.User("wangwu", "王五"))))
                .Export(ExportKind.Department, null, null, ("department.block0000.json", BlockJson.Departments(BlockJson.Department(1, "总部", 0), BlockJson.Department(2, "一部"))))
                .Export(ExportKind.TagUser, 7, "乒乓球协会", ("taguser-7.block0000.json", BlockJson.TagMembers("乒乓球协会", new[] { "zhangsan", "lisi" }, new long[] { 2 })))
                .WriteManifest();
            return snapshot;
        }
    }
}

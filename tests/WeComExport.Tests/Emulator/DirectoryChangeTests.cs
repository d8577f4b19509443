using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Blocks;
using WeComExport.Emulator.Directory;
using WeComExport.Export;
using WeComExport.Records;
using Xunit;

namespace WeComExport.Tests.Emulator
{
    /// <summary>
    /// POST /_emulator/directory: every kind of change is exported before and after over real HTTP, and the
    /// difference between the two exports must equal the answer's ground truth exactly.
    /// </summary>
    public class DirectoryChangeTests
    {
        private const int Members = 200;
        private static readonly string[] SimpleUserFields = { "userid", "name", "department", "open_userid" };

        [Theory]
        [InlineData("remove members, one a direct leader and one a department leader", """{"removeMembers":["{u:1}","{lead}"]}""")]
        [InlineData("add members", """{"addMembers":[{"userid":"new1","name":"新人","department":[2,3],"position":"x","tags":[1,4]},{"userid":"new.two@corp","name":"Second One","direct_leader":["{u:3}"],"mobile":"13900000000","status":1}]}""")]
        [InlineData("edit members", """{"editMembers":[{"userid":"{u:2}","position":"新职位","name":"改名 \"q\" 😀"},{"userid":"{u:5}","mobile":null,"address":null,"status":2,"extattr":{"attrs":[]}}]}""")]
        [InlineData("move members", """{"editMembers":[{"userid":"{u:4}","department":[5]},{"userid":"{u:6}","department":[1,7],"main_department":7,"is_leader_in_dept":[0,1]}]}""")]
        [InlineData("change tag membership", """{"editMembers":[{"userid":"{u:7}","tags":[6,3]},{"userid":"{tagged}","tags":[]}]}""")]
        [InlineData("add and edit departments", """{"addDepartments":[{"id":100001,"name":"新部门","parentid":1,"order":1,"tags":[1]},{"name":"自动编号","parentid":100001,"department_leader":["{u:9}"]}],"editDepartments":[{"id":3,"name":"改名","parentid":2},{"id":4,"name_en":null,"department_leader":["{u:9}"],"tags":[2]}]}""")]
        [InlineData("a new department with a new member in it", """{"addDepartments":[{"id":200,"name":"临时","parentid":2}],"addMembers":[{"userid":"tmp","name":"临时工","department":[200],"tags":[2]}],"editMembers":[{"userid":"{u:10}","department":[200],"direct_leader":["tmp"]}]}""")]
        [InlineData("random", """{"random":{"seed":7,"addMembers":5,"removeMembers":5,"editMembers":10,"moveMembers":5,"renameDepartments":2,"addDepartments":2}}""")]
        public async Task A_change_shows_in_every_export_exactly_as_its_ground_truth_says(string scenario, string body)
        {
            await using var emu = await StartAsync();
            Snapshot before = await Snapshot.TakeAsync(emu);
            JsonElement answer = await emu.PostJsonAsync(DirectoryUrl(emu), Fill(emu, body));
            Snapshot after = await Snapshot.TakeAsync(emu);

            List<string> truth = Normalize(answer.GetProperty("changes"));
            Assert.True(truth.Count > 0, scenario);
            Assert.Equal(Snapshot.Differences(before, after), truth);
            Assert.Equal(SimpleUserView(truth), Snapshot.SimpleUserDifferences(before, after));
            Assert.Equal(after.Users.Count, answer.GetProperty("memberCount").GetInt32());
            Assert.Equal(after.Departments.Count, answer.GetProperty("departmentCount").GetInt32());
        }

        [Fact]
        public async Task A_removed_leader_leaves_the_leader_lists_of_the_records_that_named_it()
        {
            await using var emu = await StartAsync();
            string leader = Fill(emu, "{lead}");
            JsonElement answer = await emu.PostJsonAsync(DirectoryUrl(emu), $$"""{"removeMembers":["{{Fill(emu, "{u:1}")}}","{{leader}}"]}""");
            List<string> truth = Normalize(answer.GetProperty("changes"));
            Assert.Contains($"Removed User {Fill(emu, "{u:1}")}", truth);
            Assert.Contains(truth, c => c.StartsWith("Changed User ", StringComparison.Ordinal) && c.EndsWith("[direct_leader]", StringComparison.Ordinal));
            Assert.Contains(truth, c => c.StartsWith("Changed Department ", StringComparison.Ordinal) && c.EndsWith("[department_leader]", StringComparison.Ordinal));
            Snapshot after = await Snapshot.TakeAsync(emu);
            Assert.DoesNotContain(after.Users.Values, u => u.GetProperty("direct_leader").EnumerateArray().Any(l => l.GetString() == leader));
        }

        [Fact]
        public async Task A_job_started_before_a_change_keeps_the_directory_it_started_with()
        {
            await using var emu = await StartAsync(o => o.JobDelay = TimeSpan.FromMilliseconds(1500));
            string removed = Fill(emu, "{tagged}");
            string token = await emu.TokenAsync();
            string early = await emu.StartExportAsync(token, "user");
            string earlyTag = await emu.StartExportAsync(token, "taguser", tagId: TagOf(emu, 1));
            await emu.PostJsonAsync(DirectoryUrl(emu), $$"""{"removeMembers":["{{removed}}"],"editMembers":[{"userid":"{{Fill(emu, "{u:2}")}}","position":"之后"}]}""");
            Assert.Equal(0, (await emu.ResultAsync(token, early)).GetProperty("status").GetInt32());

            JsonElement[] earlyUsers = await DownloadAsync(emu, token, early);
            JsonElement[] earlyTagBlocks = await DownloadAsync(emu, token, earlyTag);
            Assert.Equal(Members, earlyUsers.Length);
            Assert.Contains(earlyUsers, u => u.GetProperty("userid").GetString() == removed);
            Assert.DoesNotContain(earlyUsers, u => u.GetProperty("position").GetString() == "之后");
            Assert.Contains(earlyTagBlocks, u => u.ValueKind == JsonValueKind.Object && u.GetProperty("userid").GetString() == removed);

            Snapshot later = await Snapshot.TakeAsync(emu);
            Assert.Equal(Members - 1, later.Users.Count);
            Assert.DoesNotContain(removed, later.Users.Keys);
            Assert.Equal("之后", later.Users[Fill(emu, "{u:2}")].GetProperty("position").GetString());
            Assert.DoesNotContain(later.TagUsers.Keys, k => k.Id == "user:" + removed);
        }

        [Fact]
        public async Task Changes_since_start_are_cumulative_and_net_and_DELETE_restores_the_pristine_directory()
        {
            await using var emu = await StartAsync();
            Snapshot pristine = await Snapshot.TakeAsync(emu);
            string url = DirectoryUrl(emu);
            string u1 = Fill(emu, "{u:1}");
            string u2 = Fill(emu, "{u:2}");
            string position = pristine.Users[u2].GetProperty("position").GetString()!;

            await emu.PostJsonAsync(url, """{"addMembers":[{"userid":"x1","name":"甲","tags":[3]}]}""");
            await emu.PostJsonAsync(url, """{"editMembers":[{"userid":"x1","position":"组长","department":[2]}]}""");
            await emu.PostJsonAsync(url, $$"""{"editMembers":[{"userid":"{{u2}}","position":"临时"}]}""");
            JsonElement undo = await emu.PostJsonAsync(url, JsonSerializer.Serialize(new { editMembers = new[] { new { userid = u2, position } } }));
            Assert.Equal(new[] { $"Changed User {u2} [position]" }, Normalize(undo.GetProperty("changes")));
            await emu.PostJsonAsync(url, $$"""{"removeMembers":["{{u1}}"]}""");
            await emu.PostJsonAsync(url, $$"""{"addMembers":[{"userid":"{{u1}}","name":"回来了","department":[1]}]}""");
            await emu.PostJsonAsync(url, """{"addMembers":[{"userid":"gone","name":"走了"}]}""");
            await emu.PostJsonAsync(url, """{"removeMembers":["gone"]}""");

            JsonElement changes = await emu.GetJsonAsync($"/_emulator/directory/changes?corpid={emu.Corp.CorpId}");
            List<string> net = Normalize(changes.GetProperty("changes"));
            Snapshot now = await Snapshot.TakeAsync(emu);
            Assert.Equal(Snapshot.Differences(pristine, now), net);
            Assert.Contains("Added User x1", net);
            Assert.Contains("Added TagUser 3 user:x1", net);
            Assert.DoesNotContain(net, c => c.Contains(" " + u2, StringComparison.Ordinal) && c.Contains("User", StringComparison.Ordinal) && !c.Contains("direct_leader", StringComparison.Ordinal));
            Assert.Contains(net, c => c.StartsWith($"Changed User {u1} [", StringComparison.Ordinal));
            Assert.DoesNotContain(net, c => c.Contains("gone", StringComparison.Ordinal));
            Assert.Equal(Members + 1, changes.GetProperty("memberCount").GetInt32());

            using HttpResponseMessage reset = await emu.Http.DeleteAsync(DirectoryUrl(emu));
            Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
            JsonElement resetAnswer = JsonDocument.Parse(await reset.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(0, resetAnswer.GetProperty("changes").GetArrayLength());
            Assert.Equal(Members, resetAnswer.GetProperty("memberCount").GetInt32());
            Assert.Empty(Snapshot.Differences(pristine, await Snapshot.TakeAsync(emu)));
            Assert.Equal(0, (await emu.GetJsonAsync($"/_emulator/directory/changes?corpid={emu.Corp.CorpId}")).GetProperty("changes").GetArrayLength());
            Assert.True(emu.Corp.View.IsPristine);
        }

        [Fact]
        public async Task The_truth_with_full_records_matches_the_changed_blocks()
        {
            await using var emu = await StartAsync();
            await emu.PostJsonAsync(DirectoryUrl(emu), """{"random":{"seed":3,"addMembers":3,"removeMembers":3,"editMembers":3,"moveMembers":3,"renameDepartments":2,"addDepartments":2}}""");
            foreach (string kind in new[] { "user", "simple_user", "department" })
            {
                JsonElement truth = await emu.GetJsonAsync($"/_emulator/truth?corpid={emu.Corp.CorpId}&kind={kind}&full=true");
                JsonElement[] blocks = await emu.ExportAsync(kind);
                JsonElement[] records = blocks.SelectMany(b => b.GetProperty(kind == "department" ? "department" : "userlist").EnumerateArray()).ToArray();
                JsonElement[] truthRecords = truth.GetProperty("records").EnumerateArray().ToArray();
                Assert.Equal(truthRecords.Length, records.Length);
                for (int k = 0; k < records.Length; k++)
                {
                    Assert.True(JsonElement.DeepEquals(truthRecords[k], records[k]), $"{kind} record {k}");
                }
            }
        }

        [Fact]
        public async Task The_engines_reader_sees_the_changed_records()
        {
            await using var emu = await StartAsync();
            string u2 = Fill(emu, "{u:2}");
            await emu.PostJsonAsync(DirectoryUrl(emu), $$"""{"editMembers":[{"userid":"{{u2}}","position":"新职位","department":[5,6]}],"addMembers":[{"userid":"new1","name":"新人","tags":[1]}]}""");
            List<WeComRecord> users = ReadWithEngine(await emu.ExportAsync("user"), ExportKind.User, null);
            WeComUser edited = users.Cast<WeComUser>().Single(u => u.UserId == u2);
            Assert.Equal("新职位", edited.Position);
            Assert.Equal(new long[] { 5, 6 }, edited.Department.ToArray());
            Assert.Equal(5L, edited.MainDepartment);
            WeComUser added = users.Cast<WeComUser>().Single(u => u.UserId == "new1");
            Assert.Equal(4, added.Status);
            List<WeComRecord> tag = ReadWithEngine(await emu.ExportAsync("taguser", tagId: 1), ExportKind.TagUser, 1);
            Assert.Contains(tag.Cast<WeComTagMember>(), m => m.UserId == "new1" && m.Name == "新人");
        }

        [Theory]
        [InlineData("""{"removeMembers":["nobody"]}""", "removeMembers[0]: no member has the userid 'nobody'")]
        [InlineData("""{"removeMembers":["{u:1}","{u:1}"]}""", "removeMembers[1]: no member has the userid")]
        [InlineData("""{"editMembers":[{"userid":"nobody","position":"x"}]}""", "editMembers[0]: no member has the userid 'nobody'")]
        [InlineData("""{"addMembers":[{"userid":"{u:1}","name":"x"}]}""", "already exists")]
        [InlineData("""{"addMembers":[{"userid":"ok1","name":"fine"},{"userid":"ok1","name":"again"}]}""", "addMembers[1]: a member with the userid 'ok1' already exists")]
        [InlineData("""{"addMembers":[{"userid":"n1","name":"x","department":[99999]}]}""", "department 99999 does not exist")]
        [InlineData("""{"addMembers":[{"userid":"n1"}]}""", "a new member needs a name")]
        [InlineData("""{"addMembers":[{"userid":"bad id","name":"x"}]}""", "is not valid")]
        [InlineData("""{"addMembers":[{"userid":"n1","name":"x","main_department":3}]}""", "main_department must be one of")]
        [InlineData("""{"editMembers":[{"userid":"{u:1}","positon":"x"}]}""", "unknown field 'positon'")]
        [InlineData("""{"editMembers":[{"userid":"{u:1}","order":[1,2,3]}]}""", "order must have one entry per department")]
        [InlineData("""{"editMembers":[{"userid":"{u:1}","name":null}]}""", "name cannot be null")]
        [InlineData("""{"editMembers":[{"userid":"{u:1}","status":3}]}""", "status must be 1, 2, 4 or 5")]
        [InlineData("""{"editMembers":[{"userid":"{u:1}","direct_leader":["nobody"]}]}""", "'nobody', who is not a member")]
        [InlineData("""{"editMembers":[{"userid":"{u:1}","tags":[99]}]}""", "tags names 99, which is not a tag")]
        [InlineData("""{"removeDepartments":[1]}""", "the root department (1) cannot be removed")]
        [InlineData("""{"removeDepartments":[424242]}""", "no department has the id 424242")]
        [InlineData("""{"editDepartments":[{"id":2,"parentid":7}]}""", "cycle")]
        [InlineData("""{"addDepartments":[{"id":3,"name":"x","parentid":1}]}""", "department 3 already exists")]
        [InlineData("""{"addDepartments":[{"name":"x"}]}""", "needs name and parentid")]
        [InlineData("""{"removeMember":["x"]}""", "Unknown key 'removeMember'")]
        [InlineData("""{"removeMembers":"x"}""", "removeMembers must be an array")]
        [InlineData("""{}""", "names no change")]
        [InlineData("""[1]""", "must be a JSON object")]
        [InlineData("""{"random":{"seed":1},"removeMembers":[]}""", "cannot be combined")]
        [InlineData("""{"random":{"sead":1}}""", "random setting 'sead'")]
        [InlineData("""{"random":{"removeMembers":150,"editMembers":100}}""", "exceed the 200 members")]
        public async Task Bad_input_is_refused_with_400_and_changes_nothing(string body, string message)
        {
            await using var emu = await StartAsync();
            string error = await emu.PostRefusedAsync(DirectoryUrl(emu), Fill(emu, body));
            Assert.Contains(Fill(emu, message), error, StringComparison.Ordinal);
            Assert.True(emu.Corp.View.IsPristine);
            JsonElement changes = await emu.GetJsonAsync($"/_emulator/directory/changes?corpid={emu.Corp.CorpId}");
            Assert.Equal(0, changes.GetProperty("changes").GetArrayLength());
            Assert.Equal(Members, changes.GetProperty("memberCount").GetInt32());
        }

        [Fact]
        public async Task An_unknown_corp_is_refused_with_400()
        {
            await using var emu = await StartAsync();
            Assert.Contains("Unknown corpid", await emu.PostRefusedAsync("/_emulator/directory?corpid=wwnope", """{"removeMembers":[]}"""), StringComparison.Ordinal);
        }

        [Fact]
        public async Task Removing_a_department_is_refused_like_WeCom_while_it_has_members_or_sub_departments()
        {
            await using var emu = await StartAsync();
            string url = DirectoryUrl(emu);
            await emu.PostJsonAsync(url, """{"addDepartments":[{"id":500,"name":"上","parentid":1},{"id":501,"name":"下","parentid":500,"tags":[4]}],"addMembers":[{"userid":"m1","name":"成员","department":[501]}]}""");

            (int status, JsonElement refused) = await PostAsync(emu, url, """{"removeDepartments":[500]}""");
            Assert.Equal(400, status);
            Assert.Equal(60006, refused.GetProperty("errcode").GetInt32());
            Assert.Contains("sub-department 501", refused.GetProperty("error").GetString(), StringComparison.Ordinal);
            (status, refused) = await PostAsync(emu, url, """{"removeDepartments":[501]}""");
            Assert.Equal(400, status);
            Assert.Equal(60005, refused.GetProperty("errcode").GetInt32());
            Assert.Contains("'m1'", refused.GetProperty("error").GetString(), StringComparison.Ordinal);

            // A synthetic department with synthetic members, too.
            SyntheticDirectory dir = emu.Corp.Directory;
            int leaf = Enumerable.Range(0, Members).Select(dir.MainDepartment).First(d => 5L * (d - 1) + 2 > dir.DepartmentCount);
            (status, refused) = await PostAsync(emu, url, $$"""{"removeDepartments":[{{leaf}}]}""");
            Assert.Equal(400, status);
            Assert.Equal(60005, refused.GetProperty("errcode").GetInt32());

            // Emptied (the member removed in the same request) and removed together, child and parent.
            Snapshot before = await Snapshot.TakeAsync(emu);
            JsonElement answer = await emu.PostJsonAsync(url, """{"removeMembers":["m1"],"removeDepartments":[500,501]}""");
            List<string> truth = Normalize(answer.GetProperty("changes"));
            Assert.Equal(Snapshot.Differences(before, await Snapshot.TakeAsync(emu)), truth);
            Assert.Contains("Removed Department 500", truth);
            Assert.Contains("Removed TagUser 4 party:501", truth);
        }

        [Fact]
        public async Task Random_changes_are_deterministic_and_of_the_requested_sizes()
        {
            const string body = """{"random":{"seed":7,"addMembers":5,"removeMembers":5,"editMembers":10,"moveMembers":5,"renameDepartments":2,"addDepartments":2}}""";
            await using var a = await StartAsync();
            await using var b = await StartAsync();
            JsonElement first = await a.PostJsonAsync(DirectoryUrl(a), body);
            JsonElement second = await b.PostJsonAsync(DirectoryUrl(b), body);
            Assert.Equal(first.GetRawText(), second.GetRawText());

            List<string> truth = Normalize(first.GetProperty("changes"));
            Assert.Equal(5, truth.Count(c => c.StartsWith("Added User ", StringComparison.Ordinal)));
            Assert.Equal(5, truth.Count(c => c.StartsWith("Removed User ", StringComparison.Ordinal)));
            Assert.Equal(2, truth.Count(c => c.StartsWith("Added Department ", StringComparison.Ordinal)));
            Assert.Equal(2, truth.Count(c => c.StartsWith("Changed Department ", StringComparison.Ordinal) && c.EndsWith("[name]", StringComparison.Ordinal)));
            Assert.True(truth.Count(c => c.StartsWith("Changed User ", StringComparison.Ordinal) && c.Contains("position", StringComparison.Ordinal)) >= 10);
            Assert.True(truth.Count(c => c.StartsWith("Changed User ", StringComparison.Ordinal) && c.Contains("department", StringComparison.Ordinal)) >= 5);
            Assert.Equal(Members, first.GetProperty("memberCount").GetInt32());

            JsonElement other = await a.PostJsonAsync(DirectoryUrl(a), body.Replace("\"seed\":7", "\"seed\":8", StringComparison.Ordinal));
            Assert.NotEqual(Normalize(first.GetProperty("changes")), Normalize(other.GetProperty("changes")));
        }

        [Fact]
        public async Task A_large_directory_with_a_hundred_changes_stores_only_the_changes_and_exports_quickly()
        {
            await using var emu = await StartAsync(o => o.Members = 200_000);
            var clock = Stopwatch.StartNew();
            JsonElement answer = await emu.PostJsonAsync(DirectoryUrl(emu), """{"random":{"seed":11,"addMembers":20,"removeMembers":20,"editMembers":20,"moveMembers":20,"renameDepartments":10,"addDepartments":10}}""");
            Assert.Equal(100, emu.Corp.View.StoredEntries);
            Assert.Equal(200_000, answer.GetProperty("memberCount").GetInt32());
            string[] removed = Normalize(answer.GetProperty("changes")).Where(c => c.StartsWith("Removed User ", StringComparison.Ordinal)).Select(c => c["Removed User ".Length..]).ToArray();
            Assert.Equal(20, removed.Length);

            JsonElement[] blocks = await emu.ExportAsync("simple_user");
            var ids = blocks.SelectMany(b => b.GetProperty("userlist").EnumerateArray()).Select(u => u.GetProperty("userid").GetString()!).ToList();
            Assert.Equal(200_000, ids.Count);
            Assert.Empty(ids.Intersect(removed));
            Assert.Equal(20, ids.Count(id => id.StartsWith("added-11-", StringComparison.Ordinal)));
            JsonElement truth = await emu.GetJsonAsync($"/_emulator/truth?corpid={emu.Corp.CorpId}&kind=simple_user");
            Assert.Equal(truth.GetProperty("idsSha256").GetString(), EmulatorHarness.Sha256OfSorted(ids));
            JsonElement changes = await emu.GetJsonAsync($"/_emulator/directory/changes?corpid={emu.Corp.CorpId}");
            Assert.Equal(answer.GetProperty("changes").GetRawText(), changes.GetProperty("changes").GetRawText());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"took {clock.Elapsed}");
        }

        [Fact]
        public void A_view_maps_export_items_past_removed_records_to_the_remaining_ones_then_the_added_ones()
        {
            var dir = new SyntheticDirectory(5, 1_000);
            DirectoryView view = DirectoryView.Pristine(dir);
            using JsonDocument body = JsonDocument.Parse($$"""{"removeMembers":["{{dir.UserId(0)}}","{{dir.UserId(3)}}","{{dir.UserId(4)}}","{{dir.UserId(999)}}"],"addMembers":[{"userid":"a1","name":"x"},{"userid":"a2","name":"y"}]}""");
            (DirectoryView after, _) = DirectoryEditor.Apply(view, body.RootElement);
            string[] ids = Enumerable.Range(0, after.MemberCount).Select(k => after.UserIdOf(after.MemberAt(k))).ToArray();
            string[] expected = Enumerable.Range(0, 1_000).Where(i => i is not (0 or 3 or 4 or 999)).Select(dir.UserId).Append("a1").Append("a2").ToArray();
            Assert.Equal(expected, ids);
            Assert.True(view.IsPristine);
        }

        // --- helpers ---

        private static Task<EmulatorHarness> StartAsync(Action<WeComExport.Emulator.EmulatorOptions>? configure = null) =>
            EmulatorHarness.StartAsync(o =>
            {
                o.Members = Members;
                configure?.Invoke(o);
            });

        private static string DirectoryUrl(EmulatorHarness emu) => $"/_emulator/directory?corpid={emu.Corp.CorpId}";

        private static long TagOf(EmulatorHarness emu, int id) => emu.Corp.Directory.FindTag(id)!.Id;

        /// <summary>{u:N} = member N's userid; {lead} = a synthetic department leader; {tagged} = a member of tag 1.</summary>
        private static string Fill(EmulatorHarness emu, string text)
        {
            SyntheticDirectory dir = emu.Corp.Directory;
            text = Regex.Replace(text, @"\{u:(\d+)\}", m => dir.UserId(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
            int leader = Enumerable.Range(2, dir.DepartmentCount - 1).Select(dir.DepartmentLeader).First(l => l > 1);
            text = text.Replace("{lead}", dir.UserId(leader), StringComparison.Ordinal);
            int tagged = dir.TagMembers(dir.FindTag(1)!)[0];
            return text.Replace("{tagged}", dir.UserId(tagged), StringComparison.Ordinal);
        }

        private static async Task<(int Status, JsonElement Body)> PostAsync(EmulatorHarness emu, string url, string body)
        {
            using HttpResponseMessage response = await emu.Http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));
            return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }

        /// <summary>The records (userlist items, then partylist items) of a job already started.</summary>
        private static async Task<JsonElement[]> DownloadAsync(EmulatorHarness emu, string token, string jobId)
        {
            JsonElement result = await emu.WaitAsync(token, jobId);
            var records = new List<JsonElement>();
            foreach (JsonElement entry in result.GetProperty("data_list").EnumerateArray())
            {
                byte[] cipher = await emu.Http.GetByteArrayAsync(entry.GetProperty("url").GetString());
                JsonElement block = JsonDocument.Parse(EmulatorHarness.Decrypt(cipher, EmulatorHarness.Key)).RootElement.Clone();
                records.AddRange(block.GetProperty("userlist").EnumerateArray());
                if (block.TryGetProperty("partylist", out JsonElement parties))
                {
                    records.AddRange(parties.EnumerateArray());
                }
            }

            return records.ToArray();
        }

        private static List<WeComRecord> ReadWithEngine(JsonElement[] blocks, ExportKind kind, long? tagId)
        {
            var records = new List<WeComRecord>();
            foreach (JsonElement block in blocks)
            {
                using var plaintext = new MemoryStream(Encoding.UTF8.GetBytes(block.GetRawText()));
                records.AddRange(ExportRecordReader.Read(plaintext, kind, tagId, CancellationToken.None));
            }

            return records;
        }

        /// <summary>"ChangeType Kind [tagid ]id[ [sorted fields]]", sorted: comparable with <see cref="Snapshot.Differences"/>.</summary>
        private static List<string> Normalize(JsonElement changes)
        {
            var list = new List<string>();
            foreach (JsonElement c in changes.EnumerateArray())
            {
                string type = c.GetProperty("changeType").GetString()!;
                string tag = c.TryGetProperty("tagid", out JsonElement t) ? t.GetInt32().ToString(CultureInfo.InvariantCulture) + " " : string.Empty;
                string fields = c.TryGetProperty("changedFields", out JsonElement f)
                    ? " [" + string.Join(",", f.EnumerateArray().Select(x => x.GetString()).Order(StringComparer.Ordinal)) + "]"
                    : string.Empty;
                Assert.Equal(type == "Changed", fields.Length > 0);
                list.Add($"{type} {c.GetProperty("kind").GetString()} {tag}{c.GetProperty("id").GetString()}{fields}");
            }

            list.Sort(StringComparer.Ordinal);
            return list;
        }

        /// <summary>The User entries of the ground truth as a simple_user export shows them (only its fields count).</summary>
        private static List<string> SimpleUserView(List<string> truth)
        {
            var list = new List<string>();
            foreach (string change in truth.Where(c => c.Contains(" User ", StringComparison.Ordinal)))
            {
                int bracket = change.IndexOf(" [", StringComparison.Ordinal);
                if (bracket < 0)
                {
                    list.Add(change);
                    continue;
                }

                string[] fields = change[(bracket + 2)..^1].Split(',').Where(SimpleUserFields.Contains).ToArray();
                if (fields.Length > 0)
                {
                    list.Add(change[..bracket] + " [" + string.Join(",", fields) + "]");
                }
            }

            return list;
        }

        /// <summary>Every export of a corp, downloaded and decrypted over HTTP, each checked against the truth endpoint.</summary>
        private sealed class Snapshot
        {
            public Dictionary<string, JsonElement> Users { get; } = new(StringComparer.Ordinal);

            public Dictionary<string, JsonElement> SimpleUsers { get; } = new(StringComparer.Ordinal);

            public Dictionary<string, JsonElement> Departments { get; } = new(StringComparer.Ordinal);

            public Dictionary<(int Tag, string Id), JsonElement> TagUsers { get; } = new();

            public static async Task<Snapshot> TakeAsync(EmulatorHarness emu)
            {
                var s = new Snapshot();
                await FillAsync(emu, "user", null, s.Users, r => r.GetProperty("userid").GetString()!);
                await FillAsync(emu, "simple_user", null, s.SimpleUsers, r => r.GetProperty("userid").GetString()!);
                await FillAsync(emu, "department", null, s.Departments, r => r.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture));
                foreach (TagDefinition tag in emu.Corp.Directory.Tags)
                {
                    var records = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    await FillAsync(emu, "taguser", tag.Id, records, r => r.ValueKind == JsonValueKind.Number
                        ? "party:" + r.GetInt32().ToString(CultureInfo.InvariantCulture)
                        : "user:" + r.GetProperty("userid").GetString());
                    foreach ((string id, JsonElement record) in records)
                    {
                        s.TagUsers[(tag.Id, id)] = record;
                    }
                }

                return s;
            }

            public static List<string> Differences(Snapshot before, Snapshot after)
            {
                var list = new List<string>();
                Compare(list, "User", before.Users, after.Users, k => k);
                Compare(list, "Department", before.Departments, after.Departments, k => k);
                Compare(list, "TagUser", before.TagUsers, after.TagUsers, k => $"{k.Tag} {k.Id}");
                list.Sort(StringComparer.Ordinal);
                return list;
            }

            public static List<string> SimpleUserDifferences(Snapshot before, Snapshot after)
            {
                var list = new List<string>();
                Compare(list, "User", before.SimpleUsers, after.SimpleUsers, k => k);
                list.Sort(StringComparer.Ordinal);
                return list;
            }

            private static void Compare<TKey>(List<string> list, string kind, Dictionary<TKey, JsonElement> before, Dictionary<TKey, JsonElement> after, Func<TKey, string> name)
                where TKey : notnull
            {
                foreach ((TKey key, JsonElement b) in before)
                {
                    if (!after.TryGetValue(key, out JsonElement a))
                    {
                        list.Add($"Removed {kind} {name(key)}");
                        continue;
                    }

                    if (a.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }

                    string[] names = a.EnumerateObject().Select(p => p.Name).Union(b.EnumerateObject().Select(p => p.Name)).ToArray();
                    string[] changed = names.Where(n =>
                    {
                        bool inA = a.TryGetProperty(n, out JsonElement av);
                        bool inB = b.TryGetProperty(n, out JsonElement bv);
                        return inA != inB || !JsonElement.DeepEquals(av, bv);
                    }).Order(StringComparer.Ordinal).ToArray();
                    if (changed.Length > 0)
                    {
                        list.Add($"Changed {kind} {name(key)} [{string.Join(",", changed)}]");
                    }
                }

                list.AddRange(after.Keys.Where(k => !before.ContainsKey(k)).Select(k => $"Added {kind} {name(k)}"));
            }

            private static async Task FillAsync(EmulatorHarness emu, string kind, long? tagId, Dictionary<string, JsonElement> into, Func<JsonElement, string> idOf)
            {
                JsonElement[] blocks = await emu.ExportAsync(kind, blockSize: 37, tagId: tagId);
                foreach (JsonElement block in blocks)
                {
                    foreach (string array in new[] { "userlist", "partylist", "department" })
                    {
                        if (block.TryGetProperty(array, out JsonElement records))
                        {
                            foreach (JsonElement record in records.EnumerateArray())
                            {
                                Assert.True(into.TryAdd(idOf(record), record), $"{kind}: {idOf(record)} twice");
                            }
                        }
                    }
                }

                string query = $"/_emulator/truth?corpid={emu.Corp.CorpId}&kind={kind}" + (tagId is long t ? $"&tagid={t}" : string.Empty);
                JsonElement truth = await emu.GetJsonAsync(query);
                Assert.Equal(truth.GetProperty("count").GetInt32(), into.Count);
                Assert.Equal(truth.GetProperty("idsSha256").GetString(), EmulatorHarness.Sha256OfSorted(into.Keys));
            }
        }
    }
}

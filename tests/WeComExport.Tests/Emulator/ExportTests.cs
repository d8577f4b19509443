using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace WeComExport.Tests.Emulator
{
    public class ExportTests
    {
        [Theory]
        [InlineData("simple_user", 7)]
        [InlineData("user", 7)]
        [InlineData("department", 2)]
        [InlineData("simple_user", null)]
        public async Task An_export_delivers_every_record_once_in_blocks_that_match_the_ground_truth(string kind, int? blockSize)
        {
            await using var emu = await EmulatorHarness.StartAsync();
            JsonElement[] blocks = await emu.ExportAsync(kind, blockSize);
            string array = kind == "department" ? "department" : "userlist";
            var ids = new List<string>();
            foreach (JsonElement block in blocks)
            {
                Assert.Equal(JsonValueKind.Object, block.ValueKind);
                JsonElement records = block.GetProperty(array);
                Assert.True(records.GetArrayLength() <= (blockSize ?? 1_000_000));
                ids.AddRange(records.EnumerateArray().Select(r => kind == "department"
                    ? r.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture)
                    : r.GetProperty("userid").GetString()!));
            }

            JsonElement truth = await emu.GetJsonAsync($"/_emulator/truth?corpid={emu.Corp.CorpId}&kind={kind}");
            Assert.Equal(truth.GetProperty("count").GetInt32(), ids.Count);
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.Equal(truth.GetProperty("idsSha256").GetString(), EmulatorHarness.Sha256OfSorted(ids));
            int expectedBlocks = blockSize is int n ? (ids.Count + n - 1) / n : 1;
            Assert.Equal(expectedBlocks, blocks.Length);
        }

        [Fact]
        public async Task A_tag_export_lists_the_tags_members_then_its_departments_under_its_name()
        {
            await using var emu = await EmulatorHarness.StartAsync(o => o.Members = 400);
            string token = await emu.TokenAsync();
            JsonElement tags = await emu.GetJsonAsync($"/cgi-bin/tag/list?access_token={token}");
            Assert.Equal(0, tags.GetProperty("errcode").GetInt32());
            JsonElement tag = tags.GetProperty("taglist")[0];
            long tagId = tag.GetProperty("tagid").GetInt64();

            JsonElement[] blocks = await emu.ExportAsync("taguser", blockSize: 5, tagId: tagId);
            var ids = new List<string>();
            foreach (JsonElement block in blocks)
            {
                Assert.Equal(tag.GetProperty("tagname").GetString(), block.GetProperty("tagname").GetString());
                ids.AddRange(block.GetProperty("userlist").EnumerateArray().Select(u =>
                {
                    Assert.False(string.IsNullOrEmpty(u.GetProperty("name").GetString()));
                    return "user:" + u.GetProperty("userid").GetString();
                }));
                ids.AddRange(block.GetProperty("partylist").EnumerateArray().Select(p => "party:" + p.GetInt32().ToString(CultureInfo.InvariantCulture)));
                Assert.True(block.GetProperty("userlist").GetArrayLength() + block.GetProperty("partylist").GetArrayLength() <= 5);
            }

            Assert.Contains(ids, id => id.StartsWith("user:", StringComparison.Ordinal));
            Assert.Contains(ids, id => id.StartsWith("party:", StringComparison.Ordinal));
            JsonElement truth = await emu.GetJsonAsync($"/_emulator/truth?corpid={emu.Corp.CorpId}&kind=taguser&tagid={tagId}");
            Assert.Equal(truth.GetProperty("count").GetInt32(), ids.Count);
            Assert.Equal(truth.GetProperty("idsSha256").GetString(), EmulatorHarness.Sha256OfSorted(ids));
        }

        [Fact]
        public async Task An_empty_tag_exports_one_block_with_empty_lists()
        {
            await using var emu = await EmulatorHarness.StartAsync();
            JsonElement[] blocks = await emu.ExportAsync("taguser", tagId: 6);
            JsonElement block = Assert.Single(blocks);
            Assert.Equal(0, block.GetProperty("userlist").GetArrayLength());
            Assert.Equal(0, block.GetProperty("partylist").GetArrayLength());
        }

        [Fact]
        public async Task Member_details_carry_every_field_of_the_spec_with_some_absent_as_for_newer_apps()
        {
            await using var emu = await EmulatorHarness.StartAsync(o => o.Members = 300);
            JsonElement[] blocks = await emu.ExportAsync("user");
            JsonElement[] users = blocks.SelectMany(b => b.GetProperty("userlist").EnumerateArray()).ToArray();
            string[] always = { "userid", "name", "department", "order", "position", "is_leader_in_dept", "direct_leader", "telephone", "alias", "status", "open_userid", "main_department", "extattr", "external_position" };
            string[] sometimes = { "mobile", "gender", "email", "biz_mail", "avatar", "thumb_avatar", "qr_code", "address", "english_name", "external_profile" };
            foreach (JsonElement user in users)
            {
                Assert.All(always, f => Assert.True(user.TryGetProperty(f, out _), f));
                int departments = user.GetProperty("department").GetArrayLength();
                Assert.Equal(departments, user.GetProperty("order").GetArrayLength());
                Assert.Equal(departments, user.GetProperty("is_leader_in_dept").GetArrayLength());
                Assert.Equal(user.GetProperty("department")[0].GetInt32(), user.GetProperty("main_department").GetInt32());
                Assert.Contains(user.GetProperty("status").GetInt32(), new[] { 1, 2, 4, 5 });
                if (user.TryGetProperty("gender", out JsonElement gender))
                {
                    Assert.Contains(gender.GetString(), new[] { "0", "1", "2" });
                }
            }

            Assert.All(sometimes, f =>
            {
                int with = users.Count(u => u.TryGetProperty(f, out _));
                Assert.InRange(with, 1, users.Length - 1);
            });
            JsonElement attrs = users.First(u => u.GetProperty("extattr").GetProperty("attrs").GetArrayLength() > 0).GetProperty("extattr").GetProperty("attrs");
            Assert.Equal("工号", attrs[0].GetProperty("name").GetString());
            Assert.StartsWith("https://", attrs[1].GetProperty("web").GetProperty("url").GetString(), StringComparison.Ordinal);
            JsonElement profile = users.First(u => u.TryGetProperty("external_profile", out _)).GetProperty("external_profile");
            Assert.Equal(3, profile.GetProperty("external_attr").GetArrayLength());
            Assert.All(users.Skip(1), u => Assert.True(u.GetProperty("direct_leader").GetArrayLength() >= 1));
        }

        [Fact]
        public async Task Records_hold_strings_that_stress_parsers_and_realistic_names()
        {
            await using var emu = await EmulatorHarness.StartAsync(o => o.Members = 1100);
            JsonElement[] users = (await emu.ExportAsync("user")).SelectMany(b => b.GetProperty("userlist").EnumerateArray()).ToArray();
            string[] names = users.Select(u => u.GetProperty("name").GetString()!).ToArray();
            Assert.Contains(names, n => n.Length is 2 or 3 && n.All(c => c >= 0x4E00 && c <= 0x9FFF));
            Assert.Contains(names, n => n.Contains(' ', StringComparison.Ordinal) && n.All(c => c < 0x3000));
            Assert.Contains(names, n => n.Contains('"', StringComparison.Ordinal) && n.Contains('\\', StringComparison.Ordinal) && n.Contains("😀", StringComparison.Ordinal) && n.Contains('\u0007', StringComparison.Ordinal));
            Assert.Contains(users, u => u.GetProperty("position").GetString()!.Contains('\t', StringComparison.Ordinal) && u.GetProperty("position").GetString()!.Contains('\n', StringComparison.Ordinal));
            Assert.Contains(users, u => u.TryGetProperty("address", out JsonElement a) && a.GetString()!.Length > 5000);
            JsonElement[] departments = (await emu.ExportAsync("department")).SelectMany(b => b.GetProperty("department").EnumerateArray()).ToArray();
            Assert.Equal(0, departments.Single(d => d.GetProperty("id").GetInt32() == 1).GetProperty("parentid").GetInt32());
            Assert.All(departments.Where(d => d.GetProperty("id").GetInt32() > 1), d => Assert.InRange(d.GetProperty("parentid").GetInt32(), 1, d.GetProperty("id").GetInt32() - 1));
            Assert.Contains(departments, d => d.TryGetProperty("department_leader", out _));
            Assert.Contains(departments, d => !d.TryGetProperty("name_en", out _));
        }

        [Fact]
        public async Task The_truth_with_full_lists_sorted_ids_and_records_in_block_shape()
        {
            await using var emu = await EmulatorHarness.StartAsync(o => o.Members = 30);
            JsonElement truth = await emu.GetJsonAsync($"/_emulator/truth?corpid={emu.Corp.CorpId}&kind=simple_user&full=true");
            string[] ids = truth.GetProperty("ids").EnumerateArray().Select(e => e.GetString()!).ToArray();
            Assert.Equal(30, ids.Length);
            Assert.Equal(ids.OrderBy(s => s, StringComparer.Ordinal), ids);
            Assert.Equal(truth.GetProperty("idsSha256").GetString(), EmulatorHarness.Sha256OfSorted(ids));
            JsonElement[] records = truth.GetProperty("records").EnumerateArray().ToArray();
            Assert.Equal(30, records.Length);
            Assert.Equal(ids.OrderBy(s => s, StringComparer.Ordinal), records.Select(r => r.GetProperty("userid").GetString()!).OrderBy(s => s, StringComparer.Ordinal));
            Assert.False(truth.TryGetProperty("ids", out _) && !truth.TryGetProperty("records", out _));
            JsonElement brief = await emu.GetJsonAsync($"/_emulator/truth?corpid={emu.Corp.CorpId}&kind=simple_user");
            Assert.False(brief.TryGetProperty("ids", out _));
        }

        [Fact]
        public async Task The_same_seed_gives_the_same_directory_and_another_seed_another()
        {
            await using var a = await EmulatorHarness.StartAsync(o => o.Seed = 7);
            await using var b = await EmulatorHarness.StartAsync(o => o.Seed = 7);
            await using var c = await EmulatorHarness.StartAsync(o => o.Seed = 8);
            Assert.Equal(a.Corp.CorpId, b.Corp.CorpId);
            Assert.Equal(a.Corp.Secret, b.Corp.Secret);
            Assert.NotEqual(a.Corp.CorpId, c.Corp.CorpId);
            Assert.Matches("^ww[0-9a-f]{16}$", a.Corp.CorpId);
            Assert.Equal(43, a.Corp.Secret.Length);
            static async Task<string> Digest(EmulatorHarness e) =>
                (await e.GetJsonAsync($"/_emulator/truth?corpid={e.Corp.CorpId}&kind=user")).GetProperty("idsSha256").GetString()!;
            Assert.Equal(await Digest(a), await Digest(b));
            Assert.NotEqual(await Digest(a), await Digest(c));
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using WeComExport.Emulator.Control;
using WeComExport.Emulator.Directory;
using WeComExport.Emulator.Jobs;
using WeComExport.Export;
using Xunit;

namespace WeComExport.Tests.Emulator
{
    /// <summary>The directory and block rendering in-process, at sizes HTTP tests would make slow.</summary>
    public class SyntheticDirectoryTests
    {
        private static JsonDocument Render(ExportContent content, int start, int count)
        {
            using var buffer = new MemoryStream();
            BlockRenderer.Write(content, buffer, start, count, default);
            return JsonDocument.Parse(buffer.ToArray());
        }

        [Fact]
        public void A_block_of_many_render_chunks_is_one_valid_document_with_every_record_in_order()
        {
            var dir = new SyntheticDirectory(99, 9_001);
            var content = new ExportContent(dir, ExportKind.SimpleUser);
            using JsonDocument doc = Render(content, 0, content.Count);
            string[] ids = doc.RootElement.GetProperty("userlist").EnumerateArray().Select(u => u.GetProperty("userid").GetString()!).ToArray();
            Assert.Equal(Enumerable.Range(0, 9_001).Select(dir.UserId), ids);
        }

        [Fact]
        public void A_tag_block_that_spans_members_and_departments_splits_them_into_userlist_and_partylist()
        {
            var dir = new SyntheticDirectory(5, 20_000);
            TagDefinition tag = dir.FindTag(4)!;
            var content = new ExportContent(dir, ExportKind.TagUser, tag);
            int members = dir.TagMembers(tag).Length;
            int parties = dir.TagParties(tag).Length;
            Assert.True(members > 4000 && parties > 100, $"{members} members, {parties} departments");
            Assert.Equal(members + parties, content.Count);

            var seen = new List<string>();
            int blockSize = 3_333;
            for (int start = 0; start < content.Count; start += blockSize)
            {
                using JsonDocument doc = Render(content, start, Math.Min(blockSize, content.Count - start));
                Assert.Equal(tag.Name, doc.RootElement.GetProperty("tagname").GetString());
                seen.AddRange(doc.RootElement.GetProperty("userlist").EnumerateArray().Select(u => "user:" + u.GetProperty("userid").GetString()));
                seen.AddRange(doc.RootElement.GetProperty("partylist").EnumerateArray().Select(p => "party:" + p.GetInt32()));
            }

            Assert.Equal(Enumerable.Range(0, content.Count).Select(content.IdOf), seen);
            Assert.Equal(TruthWriter.Digest(TruthWriter.SortedIds(content)), EmulatorHarness.Sha256OfSorted(seen));
        }

        [Fact]
        public void Any_member_renders_the_same_alone_as_inside_a_run()
        {
            var dir = new SyntheticDirectory(3, 1_000_000);
            var content = new ExportContent(dir, ExportKind.User);
            using JsonDocument run = Render(content, 999_990, 10);
            using JsonDocument alone = Render(content, 999_995, 1);
            Assert.Equal(
                run.RootElement.GetProperty("userlist")[5].GetRawText(),
                alone.RootElement.GetProperty("userlist")[0].GetRawText());
        }

        [Fact]
        public void The_department_tree_is_deep_at_a_million_members_and_every_parent_precedes_its_child()
        {
            var dir = new SyntheticDirectory(1, 1_000_000);
            Assert.Equal(66_667, dir.DepartmentCount);
            Assert.InRange(SyntheticDirectory.DepthOf(dir.DepartmentCount), 6, 9);
            for (int d = 2; d <= dir.DepartmentCount; d += 997)
            {
                Assert.InRange(SyntheticDirectory.ParentOf(d), 1, d - 1);
            }

            Assert.InRange(SyntheticDirectory.DepthOf(4), 2, 3);
        }

        [Fact]
        public void Userids_are_unique_and_every_member_has_a_department_that_exists()
        {
            var dir = new SyntheticDirectory(11, 50_000);
            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < dir.MemberCount; i++)
            {
                Assert.True(ids.Add(dir.UserId(i)));
                Assert.All(dir.Departments(i), d => Assert.InRange(d, 1, dir.DepartmentCount));
            }
        }
    }
}

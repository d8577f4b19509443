using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WeComExport.Blocks;
using WeComExport.Export;
using WeComExport.Records;
using Xunit;
using static WeComExport.Tests.Blocks.ReaderHarness;

namespace WeComExport.Tests.Blocks
{
    /// <summary>A damaged block must fail loudly with its position, never read as a shorter one.</summary>
    public class ReaderMalformedInputTests
    {
        [Theory]
        [InlineData(ExportKind.User)]
        [InlineData(ExportKind.Department)]
        [InlineData(ExportKind.TagUser)]
        public void A_block_cut_at_any_byte_throws_instead_of_giving_fewer_records(ExportKind kind)
        {
            string json = kind switch
            {
                ExportKind.User => SampleBlocks.DetailedUsers.Trim(),
                ExportKind.Department => SampleBlocks.Departments.Trim(),
                _ => SampleBlocks.TagMembers.Trim(),
            };
            byte[] bytes = BlockTestData.Utf8(json);
            for (int cut = 0; cut < bytes.Length; cut++)
            {
                byte[] prefix = bytes.AsSpan(0, cut).ToArray();
                foreach ((int bufferSize, int maxRead) in new[] { (128 * 1024, int.MaxValue), (8, 3) })
                {
                    var error = Assert.Throws<ExportFormatException>(() => ReadChunked(prefix, kind, bufferSize, maxRead));
                    Assert.InRange(error.BytePosition, 0, cut);
                }
            }
        }

        [Theory]
        [InlineData("""[{"userid":"a"}]""", "not an object")]
        [InlineData("""{"userlist":{"userid":"a"}}""", "not an array")]
        [InlineData("""{"userlist":["a"]}""", "not an object")]
        [InlineData("""{"userlist":[{"userid":"a"}]}{""", "malformed")]
        [InlineData("""{"userlist":[{"userid":"a"}]}x""", "malformed")]
        [InlineData("""{"userlist":[{"userid":"a",}]}""", "malformed")]
        [InlineData("""{"userlist":[{"userid":'a'}]}""", "malformed")]
        [InlineData("""{"userlist":[{"userid":"a"}]] """, "malformed")]
        [InlineData("", "malformed")]
        [InlineData("   ", "malformed")]
        public void Malformed_or_misshapen_user_blocks_are_rejected(string json, string expected)
        {
            var error = Assert.Throws<ExportFormatException>(() => Read(json, ExportKind.User));
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
            Assert.IsAssignableFrom<FormatException>(error);
        }

        [Theory]
        [InlineData("""{"tagname":"t","partylist":["x"]}""")]
        [InlineData("""{"tagname":"t","partylist":[{"id":2}]}""")]
        [InlineData("""{"tagname":{"zh":"t"},"userlist":[]}""")]
        [InlineData("""{"tagname":"t","userlist":"zhangsan"}""")]
        public void Misshapen_taguser_blocks_are_rejected(string json)
        {
            Assert.Throws<ExportFormatException>(() => Read(json, ExportKind.TagUser));
        }

        [Fact]
        public void Records_before_the_damage_are_yielded_then_the_error_names_its_position()
        {
            const string Json = """{"department":[{"id":1},{"id":2},{"id":3 "name":"x"}]}""";
            var seen = new List<long>();
            var error = Assert.Throws<ExportFormatException>(() =>
            {
                foreach (WeComRecord record in ExportRecordReader.Read(new MemoryStream(BlockTestData.Utf8(Json)), ExportKind.Department, null, CancellationToken.None))
                {
                    seen.Add(((WeComDepartment)record).Id);
                }
            });

            Assert.Equal(new long[] { 1, 2 }, seen);
            int damage = Json.IndexOf("3 \"name\"", StringComparison.Ordinal);
            Assert.InRange(error.BytePosition, damage - 10, damage + 10);
            Assert.Contains($"byte {error.BytePosition}", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("name", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Invalid_utf8_in_a_string_is_rejected()
        {
            byte[] json = [.. BlockTestData.Utf8("{\"userlist\":[{\"userid\":\""), 0xC3, 0x28, .. BlockTestData.Utf8("\"}]}")];
            var error = Assert.Throws<ExportFormatException>(() => ReadChunked(json, ExportKind.User, 1024, 1024));
            Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
            Assert.Equal(23, error.BytePosition);
        }

        [Theory]
        [InlineData("{\"userlist\":[{\"userid\":\"a\"},{\"userid\":\"\\ud800\"}]}")] // a field the record models
        [InlineData("{\"userlist\":[{\"userid\":\"a\"},{\"userid\":\"b\",\"x\":{\"\\udc00\":1}}]}")] // a name in an unknown field
        [InlineData("{\"userlist\":[{\"userid\":\"a\"},{\"userid\":\"b\",\"external_profile\":{\"v\":[\"\\ud83d!\"]}}]}")] // a kept object
        public void An_unpaired_surrogate_escape_is_a_format_error_after_the_records_before_it(string json)
        {
            var seen = new List<string?>();
            var error = Assert.Throws<ExportFormatException>(() =>
            {
                var parser = new ExportBlockParser(new TrickleStream(BlockTestData.Utf8(json), 1024), ExportKind.User, null);
                while (parser.Next() is WeComUser user)
                {
                    seen.Add(user.UserId);
                }
            });

            Assert.Equal(new[] { "a" }, seen);
            Assert.Contains("surrogate", error.Message, StringComparison.Ordinal);
            Assert.InRange(error.BytePosition, json.IndexOf("},{", StringComparison.Ordinal), json.Length);
        }
    }
}

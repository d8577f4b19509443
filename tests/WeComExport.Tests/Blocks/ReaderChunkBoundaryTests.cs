using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using WeComExport.Blocks;
using WeComExport.Export;
using WeComExport.Records;
using Xunit;
using static WeComExport.Tests.Blocks.ReaderHarness;

namespace WeComExport.Tests.Blocks
{
    /// <summary>
    /// The reader refills its window and retries a record cut by the window's end; these tests put that
    /// cut everywhere (tiny windows, 1- and 7-byte reads) and require the very same records.
    /// </summary>
    public class ReaderChunkBoundaryTests
    {
        public static TheoryData<string, ExportKind> Samples() => new()
        {
            { SampleBlocks.DetailedUsers, ExportKind.User },
            { SampleBlocks.Departments, ExportKind.Department },
            { SampleBlocks.TagMembers, ExportKind.TagUser },
            { BlockTestData.VectorPlaintext, ExportKind.SimpleUser },
        };

        [Theory]
        [MemberData(nameof(Samples))]
        public void Records_are_the_same_whatever_the_window_and_read_sizes(string json, ExportKind kind)
        {
            List<string> expected = Dump(Read(json, kind, tagId: 3));
            Assert.NotEmpty(expected);
            byte[] bytes = BlockTestData.Utf8(json);
            foreach ((int bufferSize, int maxRead) in new[] { (1, 1), (2, 7), (16, 1), (16, 7), (64, 7), (100, 1000), (4096, 1) })
            {
                Assert.Equal(expected, Dump(ReadChunked(bytes, kind, bufferSize, maxRead, tagId: 3)));
            }
        }

        [Fact]
        public void Escaped_and_unusual_strings_decode_exactly_across_boundaries()
        {
            // Quotes, backslashes, control characters, \u escapes (with a surrogate pair), raw emoji and
            // CJK, and an escaped property name ("\u0075serid" is userid).
            const string Json = """
                {"userlist":[{"\u0075serid":"a\"b\\c\/d","name":"tab\there\nnew\u0001\u001f","position":"\u5f20\u4e09 \ud83d\ude00 😀 张三",
                  "alias":"","address":"  spaced  ","direct_leader":["x\"y","\\"]}]}
                """;
            foreach ((int bufferSize, int maxRead) in new[] { (128 * 1024, int.MaxValue), (1, 1), (8, 7) })
            {
                var user = (WeComUser)Assert.Single(ReadChunked(BlockTestData.Utf8(Json), ExportKind.User, bufferSize, maxRead));
                Assert.Equal("a\"b\\c/d", user.UserId);
                Assert.Equal("tab\there\nnew\u0001\u001f", user.Name);
                Assert.Equal("张三 😀 😀 张三", user.Position);
                Assert.Equal(string.Empty, user.Alias);
                Assert.Equal("  spaced  ", user.Address);
                Assert.Equal(new[] { "x\"y", "\\" }, user.DirectLeader);
                Assert.Empty(user.AdditionalFields);
            }
        }

        [Fact]
        public void A_one_megabyte_value_is_read_whole_through_a_small_window()
        {
            string big = string.Concat(Enumerable.Repeat("长\\\"x😀", 200_000));
            string decoded = string.Concat(Enumerable.Repeat("长\"x😀", 200_000));
            string json = "{\"userlist\":[{\"userid\":\"before\"},{\"userid\":\"big\",\"position\":\"" + big + "\",\"note\":\"" + big + "\"},{\"userid\":\"after\"}]}";
            byte[] bytes = BlockTestData.Utf8(json);
            Assert.True(bytes.Length > 2_000_000);

            var parser = new ExportBlockParser(new TrickleStream(bytes, 7001), ExportKind.User, null, bufferSize: 4096);
            var records = new List<WeComUser>();
            while (parser.Next() is WeComUser user)
            {
                records.Add(user);
            }

            Assert.Equal(new[] { "before", "big", "after" }, records.Select(u => u.UserId));
            Assert.Equal(decoded, records[1].Position);
            Assert.Equal(decoded, records[1].AdditionalFields["note"]);
            // The window grew to hold the big record and no further than twice it.
            Assert.InRange(parser.BufferCapacity, bytes.Length / 2, bytes.Length * 2);
        }

        [Fact]
        public void A_record_longer_than_the_largest_unit_is_a_format_error_before_it_fills_memory()
        {
            byte[] head = BlockTestData.Utf8("{\"userlist\":[{\"userid\":\"before\"},{\"userid\":\"huge\",\"name\":\"");
            byte[] tail = BlockTestData.Utf8("\"}]}");
            var bytes = new byte[head.Length + JsonChunkBuffer.MaxUnitBytes + tail.Length];
            head.CopyTo(bytes, 0);
            bytes.AsSpan(head.Length, JsonChunkBuffer.MaxUnitBytes).Fill((byte)'a');
            tail.CopyTo(bytes, head.Length + JsonChunkBuffer.MaxUnitBytes);

            var parser = new ExportBlockParser(new MemoryStream(bytes), ExportKind.User, null);
            Assert.Equal("before", ((WeComUser)parser.Next()!).UserId);
            var e = Assert.Throws<ExportFormatException>(() => parser.Next());

            Assert.Contains("more than 64 MB pass without the end of a record", e.Message, StringComparison.Ordinal);
            Assert.Equal(JsonChunkBuffer.MaxUnitBytes, parser.BufferCapacity);
        }

        [Fact]
        public void A_huge_unknown_root_field_is_skipped_without_growing_the_window()
        {
            var json = new StringBuilder("{\"debug\":[");
            for (int i = 0; i < 200_000; i++)
            {
                json.Append(i).Append(",{\"k\":[\"v\"]},");
            }

            json.Append("0],\"userlist\":[{\"userid\":\"u\"}]}");
            byte[] bytes = BlockTestData.Utf8(json.ToString());

            var parser = new ExportBlockParser(new TrickleStream(bytes, 1000), ExportKind.User, null, bufferSize: 1024);
            Assert.Equal("u", ((WeComUser)parser.Next()!).UserId);
            Assert.Null(parser.Next());
            Assert.Equal(1024, parser.BufferCapacity);
        }

        [Fact]
        public void Many_records_through_the_default_window_keep_their_order_and_count()
        {
            var json = new StringBuilder("{\"userlist\":[");
            for (int i = 0; i < 20_000; i++)
            {
                json.Append(i == 0 ? string.Empty : ",").Append("{\"userid\":\"u").Append(i).Append("\",\"name\":\"名").Append(i).Append("\",\"department\":[").Append(i).Append("]}");
            }

            json.Append("]}");
            List<WeComRecord> records = ReadChunked(BlockTestData.Utf8(json.ToString()), ExportKind.User, JsonChunkBuffer.DefaultSize, 8191);

            Assert.Equal(20_000, records.Count);
            for (int i = 0; i < records.Count; i++)
            {
                var user = (WeComUser)records[i];
                Assert.Equal("u" + i, user.UserId);
                Assert.Equal(i, user.Department[0]);
            }
        }
    }
}

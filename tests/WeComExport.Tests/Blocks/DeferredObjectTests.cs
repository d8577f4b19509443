using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using WeComExport.Blocks;
using WeComExport.Export;
using WeComExport.Records;
using Xunit;

namespace WeComExport.Tests.Blocks
{
    /// <summary>
    /// A member's external_profile is kept as its JSON text and read into values on first use: what a user reads
    /// must be what reading it at once gave, and a bad block must still fail while it is read, never later.
    /// </summary>
    public class DeferredObjectTests
    {
        public static TheoryData<string> Objects => new()
        {
            "{}",
            """{"n":{"dup":1,"k":2},"m":{"dup":3}}""", // one name in two objects is no repeat
            """{"a":{"x":1,"x":2},"b":[{"y":1},{"y":2,"y":3}]}""", // repeats inside nested objects
            """{"html":"<a href='x'>&amp;</a>","ctl":"\u0001\t","quote":"\"","emoji":"😀","slash":"a/b\/c"}""",
            """{"external_corp_name":"企业简称","wechat_channels":{"nickname":"视频号","status":1}}""",
            """{"a":[1,-2,3.5,1e400,12345678901234567890,true,false,null,"x",[],{}],"b":{"c":{"d":[{"e":"\u4e2d\n\"q\""}]}}}""",
            """{"dup":1,"other":2,"dup":"last"}""",
            """{ "spaced" : [ 1 , { "k" : "v" } ] , "esc\u0041ped" : "\ud83d\ude00" }""",
            """{"long":9223372036854775807,"small":-9223372036854775808,"real":0.1,"exp":1E-7}""",
            """{"u":18446744073709551615,"big":-9223372036854775809,"huge":[123456789012345678901234567890,9223372036854775808]}""",
        };

        [Theory]
        [MemberData(nameof(Objects))]
        public void A_kept_object_reads_as_the_same_values_and_text_as_reading_it_at_once(string profile)
        {
            WeComUser user = ReadUser(profile);
            WeComJsonObject eager = ReadAtOnce(profile);

            // Written from the kept text first, then from the values once they are read: both as the values were written.
            string fromText = user.ExternalProfile!.ToString()!;
            Assert.Equal(Values(eager), Values(user.ExternalProfile));
            Assert.Equal(eager.ToString(), fromText);
            Assert.Equal(eager.ToString(), user.ExternalProfile.ToString());
            Assert.Equal(eager.Count, user.ExternalProfile.Count);
            Assert.Equal(eager.Keys, user.ExternalProfile.Keys);
        }

        [Fact]
        public void Writing_a_kept_object_builds_no_values_and_reading_a_field_builds_them_once()
        {
            var profile = (WeComJsonObject)ReadUser("""{"external_corp_name":"企业","external_attr":[{"type":0,"name":"文本","text":{"value":"v"}}]}""").ExternalProfile!;
            Assert.True(profile.IsKeptText);

            string text = profile.ToString();
            Assert.True(profile.IsKeptText);

            Assert.Equal("企业", profile["external_corp_name"]);
            Assert.False(profile.IsKeptText);
            Assert.Equal(text, profile.ToString());
        }

        [Theory]
        [InlineData("{}")]
        [InlineData("""{"n":{"dup":1,"k":2},"m":{"dup":3},"dup":4}""")] // one name in several objects is no repeat
        [InlineData("""{"b":[{"y":1,"z":2},{"y":2,"z":[{"y":3}]}],"y":0}""")]
        [InlineData("""{"v":"\u4e2d\n\"","w":"😀"}""")] // escaped values, plain names
        public void An_object_without_a_repeated_name_is_written_from_its_text(string profile)
        {
            var kept = (WeComJsonObject)ReadUser(profile).ExternalProfile!;
            string text = kept.ToString();
            Assert.True(kept.IsKeptText);
            Assert.Equal(ReadAtOnce(profile).ToString(), text);
        }

        [Fact]
        public void An_object_with_very_many_names_is_written_from_its_values_and_read_in_linear_time()
        {
            // Names are compared with those before them only up to a small count: 100,000 names must not cost 10^10 compares.
            string profile = "{" + string.Join(",", Enumerable.Range(0, 100_000).Select(i => $"\"k{i}\":{i}")) + "}";
            var kept = (WeComJsonObject)ReadUser(profile).ExternalProfile!;
            Assert.Equal(ReadAtOnce(profile).ToString(), kept.ToString());
            Assert.False(kept.IsKeptText);
            Assert.Equal(100_000, kept.Count);
            Assert.Equal(99_999L, kept["k99999"]);
        }

        [Fact]
        public void An_object_that_repeats_a_name_is_written_from_its_values()
        {
            var profile = (WeComJsonObject)ReadUser("""{"a":1,"b":{"c":1,"c":2}}""").ExternalProfile!;
            Assert.Equal("{\"a\":1,\"b\":{\"c\":2}}", profile.ToString());
        }

        [Fact]
        public void A_kept_object_is_the_same_whatever_the_window_and_read_sizes()
        {
            string block = "{\"userlist\":[" + string.Join(",", Enumerable.Range(0, 40).Select(i =>
                $$$"""{"userid":"u{{{i}}}","external_profile":{"external_corp_name":"企业{{{i}}}","external_attr":[{"type":0,"name":"文本","text":{"value":"{{{new string('x', i * 7)}}}"}}]}}""")) + "]}";
            byte[] json = BlockTestData.Utf8(block);

            List<string> whole = ReaderHarness.Read(block, ExportKind.User).Cast<WeComUser>().Select(u => u.ExternalProfile!.ToString()!).ToList();
            foreach ((int window, int read) in new[] { (16, 1), (64, 7), (333, 50), (4096, 4096) })
            {
                List<string> chunked = ReaderHarness.ReadChunked(json, ExportKind.User, window, read).Cast<WeComUser>().Select(u => u.ExternalProfile!.ToString()!).ToList();
                Assert.Equal(whole, chunked);
            }

            Assert.Equal(40, whole.Distinct().Count());
        }

        [Theory]
        [InlineData(new byte[] { 0xC3, 0x28 })] // a broken two-byte sequence
        [InlineData(new byte[] { 0xFF })]
        [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // an encoded surrogate
        public void Invalid_utf8_in_a_kept_object_fails_the_block_while_it_is_read(byte[] bad)
        {
            foreach (bool inName in new[] { false, true })
            {
                byte[] json = inName
                    ? [.. BlockTestData.Utf8("{\"userlist\":[{\"userid\":\"a\"},{\"userid\":\"b\",\"external_profile\":{\"ok\":1,\"n"), .. bad, .. BlockTestData.Utf8("\":2}}]}")]
                    : [.. BlockTestData.Utf8("{\"userlist\":[{\"userid\":\"a\"},{\"userid\":\"b\",\"external_profile\":{\"ok\":1,\"v\":[\"x"), .. bad, .. BlockTestData.Utf8("\"]}}]}")];
                var seen = new List<string?>();
                var error = Assert.Throws<ExportFormatException>(() =>
                {
                    var parser = new ExportBlockParser(new TrickleStream(json, 1024), ExportKind.User, null);
                    while (parser.Next() is WeComUser user)
                    {
                        seen.Add(user.UserId);
                    }
                });

                Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
                Assert.Equal(new[] { "a" }, seen);
            }
        }

        [Fact]
        public void A_lone_surrogate_escape_in_a_kept_object_fails_the_block_while_it_is_read()
        {
            // Reading the object at once refuses it; keeping its text must not turn that into a failure of a later property read.
            Assert.Throws<InvalidOperationException>(() => ReadAtOnce("""{"v":"\ud800"}"""));
            Assert.Throws<ExportFormatException>(() => ReadUser("""{"v":"\ud800"}"""));
        }

        [Fact]
        public void Truncated_or_malformed_objects_fail_the_block()
        {
            foreach (string broken in new[] { """{"a":[1,2}""", """{"a":1,}""", """{"a" 1}""", """{"a":tru}""" })
            {
                string block = "{\"userlist\":[{\"userid\":\"a\",\"external_profile\":" + broken + "}]}";
                Assert.Throws<ExportFormatException>(() => ReaderHarness.Read(block, ExportKind.User));
            }
        }

        [Theory]
        [InlineData("[1,2]")]
        [InlineData("\"text\"")]
        [InlineData("42")]
        [InlineData("true")]
        public void A_profile_of_another_json_type_is_kept_in_additional_fields_not_lost(string value)
        {
            var user = (WeComUser)Assert.Single(ReaderHarness.Read("{\"userlist\":[{\"userid\":\"a\",\"external_profile\":" + value + "}]}", ExportKind.User));
            Assert.Null(user.ExternalProfile);
            Assert.True(user.AdditionalFields.ContainsKey("external_profile"));
        }

        [Fact]
        public void A_raw_control_character_in_a_kept_object_fails_the_block()
        {
            byte[] json = [.. BlockTestData.Utf8("{\"userlist\":[{\"userid\":\"a\",\"external_profile\":{\"v\":\"x"), 0x01, .. BlockTestData.Utf8("\"}}]}")];
            Assert.Throws<ExportFormatException>(() => ReaderHarness.ReadChunked(json, ExportKind.User, 1024, 1024));
        }

        [Fact]
        public void Many_threads_reading_a_kept_object_first_all_see_the_same_values()
        {
            for (int round = 0; round < 50; round++)
            {
                WeComUser user = ReadUser("""{"a":{"b":[1,2,3]},"c":"文本","d":[{"e":true}]}""");
                IReadOnlyDictionary<string, object?> profile = user.ExternalProfile!;
                string[] texts = new string[8];
                Parallel.For(0, texts.Length, i => texts[i] = profile.Count + ":" + profile.ToString());
                Assert.All(texts, t => Assert.Equal(texts[0], t));
                Assert.StartsWith("3:{\"a\":{\"b\":[1,2,3]}", texts[0], StringComparison.Ordinal);
            }
        }

        [Fact]
        public void A_kept_object_cannot_be_changed()
        {
            var profile = (IDictionary<string, object?>)ReadUser("""{"a":1}""").ExternalProfile!;
            Assert.Throws<NotSupportedException>(() => profile["a"] = 2);
            Assert.Throws<NotSupportedException>(() => profile.Add("b", 1));
            Assert.Throws<NotSupportedException>(() => profile.Remove("a"));
            Assert.Throws<NotSupportedException>(() => profile.Clear());
            Assert.Equal(1L, profile["a"]);
        }

        private static WeComUser ReadUser(string profile) =>
            (WeComUser)Assert.Single(ReaderHarness.Read("{\"userlist\":[{\"userid\":\"a\",\"external_profile\":" + profile + "}]}", ExportKind.User));

        /// <summary>The object read into values at once, as the record reader did before it kept the text.</summary>
        private static WeComJsonObject ReadAtOnce(string json)
        {
            var reader = new Utf8JsonReader(BlockTestData.Utf8(json), isFinalBlock: true, state: default);
            Assert.True(reader.Read());
            Assert.True(JsonValues.TryReadObject(ref reader, out object? value));
            return Assert.IsType<WeComJsonObject>(value);
        }

        /// <summary>A value tree in a comparable form: type and value of every leaf, dictionaries in key order as enumerated.</summary>
        private static string Values(object? value) => value switch
        {
            null => "null",
            IReadOnlyDictionary<string, object?> fields => "{" + string.Join(",", fields.Select(f => f.Key + "=" + Values(f.Value))) + "}",
            object?[] items => "[" + string.Join(",", items.Select(Values)) + "]",
            _ => value.GetType().Name + ":" + Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}

using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Blocks;
using WeComExport.Crypto;
using WeComExport.Export;
using Xunit;
using static WeComExport.Tests.Blocks.BlockTestData;
using static WeComExport.Tests.Blocks.ReaderHarness;

namespace WeComExport.Tests.Blocks
{
    /// <summary>
    /// A block must hold the list its kind requires: a block without it, with it null, or with another
    /// kind's list is an error, never an empty or short result. Checked on both paths: records, and
    /// the decrypted files of -OutputDirectory.
    /// </summary>
    public sealed class BlockShapeTests : IDisposable
    {
        private readonly string folder = NewTempFolder();

        public void Dispose() => Directory.Delete(folder, recursive: true);

        /// <summary>Blocks that lack their kind's list (or hold it as null): a format error, not an empty result.</summary>
        public static TheoryData<string, ExportKind> Incomplete() => new()
        {
            { """{}""", ExportKind.SimpleUser },
            { """{}""", ExportKind.User },
            { """{"errcode":0,"errmsg":"ok"}""", ExportKind.User },
            { """{"userlist":null}""", ExportKind.SimpleUser },
            { """{"userlist":null}""", ExportKind.User },
            { """{}""", ExportKind.Department },
            { """{"errcode":0,"errmsg":"ok"}""", ExportKind.Department },
            { """{"department":null}""", ExportKind.Department },
            { """{}""", ExportKind.TagUser },
            { """{"tagname":"t"}""", ExportKind.TagUser },
            { """{"userlist":[],"partylist":[]}""", ExportKind.TagUser },
            { """{"tagname":null,"userlist":[]}""", ExportKind.TagUser },
            { """{"tagname":"t","userlist":null}""", ExportKind.TagUser },
            { """{"tagname":"t","userlist":[],"partylist":null}""", ExportKind.TagUser },
            { """{"tagname":"t","userlist":null,"partylist":null}""", ExportKind.TagUser },
        };

        /// <summary>Blocks of another kind: a kind mismatch, named as such.</summary>
        public static TheoryData<string, ExportKind, string> OfAnotherKind() => new()
        {
            { """{"department":[{"id":1}]}""", ExportKind.User, "\"department\"" },
            { """{"department":[]}""", ExportKind.SimpleUser, "\"department\"" },
            { """{"userlist":[],"department":[]}""", ExportKind.User, "\"department\"" },
            { """{"tagname":"t","userlist":[{"userid":"a"}],"partylist":[2]}""", ExportKind.User, "\"tagname\"" },
            { """{"partylist":[2],"userlist":[{"userid":"a"}]}""", ExportKind.SimpleUser, "\"partylist\"" },
            { """{"userlist":[{"userid":"a"}]}""", ExportKind.Department, "\"userlist\"" },
            { """{"tagname":"t","partylist":[2]}""", ExportKind.Department, "\"tagname\"" },
            { """{"department":[],"userlist":[]}""", ExportKind.Department, "\"userlist\"" },
            { """{"department":[{"id":1}]}""", ExportKind.TagUser, "\"department\"" },
            { """{"tagname":"t","userlist":[],"department":[]}""", ExportKind.TagUser, "\"department\"" },
        };

        /// <summary>Complete blocks, empty lists included: no error.</summary>
        public static TheoryData<string, ExportKind> Complete() => new()
        {
            { """{"userlist":[]}""", ExportKind.SimpleUser },
            { """{"errcode":0,"userlist":[]}""", ExportKind.User },
            { """{"department":[]}""", ExportKind.Department },
            { """{"tagname":"t","userlist":[],"partylist":[]}""", ExportKind.TagUser },
            { """{"tagname":"t","userlist":[]}""", ExportKind.TagUser },
            { """{"tagname":"t","partylist":[]}""", ExportKind.TagUser },
            { """{"tagname":42,"partylist":[1]}""", ExportKind.TagUser },
        };

        [Theory]
        [MemberData(nameof(Incomplete))]
        public void A_block_without_its_kinds_list_is_a_format_error(string json, ExportKind kind)
        {
            foreach ((int bufferSize, int maxRead) in new[] { (128 * 1024, int.MaxValue), (4, 1) })
            {
                var error = Assert.Throws<ExportFormatException>(() => ReadChunked(Utf8(json), kind, bufferSize, maxRead));
                Assert.IsNotType<ExportKindMismatchException>(error);
                Assert.Contains("byte ", error.Message, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void Json_nested_deeper_than_the_limit_is_a_format_error_that_says_so()
        {
            // The root, its list and the record take three levels: 61 arrays in a field reach the limit of 64.
            static string Nested(int arrays) => "{\"userlist\":[{\"userid\":\"a\",\"deep\":" + new string('[', arrays) + new string(']', arrays) + "}]}";
            foreach ((int bufferSize, int maxRead) in new[] { (128 * 1024, int.MaxValue), (4, 1) })
            {
                var user = (WeComExport.Records.WeComUser)Assert.Single(ReadChunked(Utf8(Nested(ExportFormatException.MaxJsonDepth - 3)), ExportKind.User, bufferSize, maxRead));
                Assert.True(user.AdditionalFields.ContainsKey("deep"));

                var error = Assert.Throws<ExportFormatException>(() => ReadChunked(Utf8(Nested(ExportFormatException.MaxJsonDepth - 2)), ExportKind.User, bufferSize, maxRead));
                Assert.Contains("nests deeper than 64 levels", error.Message, StringComparison.Ordinal);
                Assert.DoesNotContain("malformed", error.Message, StringComparison.Ordinal);

                // Cut short inside the limit, even at its last levels, it is truncated JSON, not JSON too deep.
                string cut = Nested(ExportFormatException.MaxJsonDepth - 3);
                cut = cut.Substring(0, cut.IndexOf(']', StringComparison.Ordinal));
                var truncated = Assert.Throws<ExportFormatException>(() => ReadChunked(Utf8(cut), ExportKind.User, bufferSize, maxRead));
                Assert.Contains("malformed or truncated", truncated.Message, StringComparison.Ordinal);

                // Malformed at the last level inside the limit (a missing comma, a [ right after a {) is malformed too.
                foreach (string tail in new[] { "1 [", "{[" })
                {
                    string bad = "{\"userlist\":[{\"userid\":\"a\",\"deep\":" + new string('[', ExportFormatException.MaxJsonDepth - 4) + tail;
                    var malformed = Assert.Throws<ExportFormatException>(() => ReadChunked(Utf8(bad), ExportKind.User, bufferSize, maxRead));
                    Assert.Contains("malformed or truncated", malformed.Message, StringComparison.Ordinal);
                }
            }
        }

        [Theory]
        [MemberData(nameof(OfAnotherKind))]
        public void A_block_of_another_kind_is_a_kind_mismatch_before_any_of_its_records(string json, ExportKind kind, string named)
        {
            int seen = 0;
            var error = Assert.Throws<ExportKindMismatchException>(() =>
            {
                foreach (var unused in ExportRecordReader.Read(new MemoryStream(Utf8(json)), kind, null, CancellationToken.None))
                {
                    seen++;
                }
            });
            Assert.Equal(0, seen);
            Assert.Contains(named, error.Message, StringComparison.Ordinal);
            Assert.Equal(kind, error.ExpectedKind);
        }

        [Theory]
        [MemberData(nameof(Complete))]
        public void A_block_with_its_kinds_list_reads_even_when_the_list_is_empty(string json, ExportKind kind)
        {
            ReadChunked(Utf8(json), kind, 4, 1);
            Read(json, kind);
        }

        [Theory]
        [MemberData(nameof(Incomplete))]
        public async Task A_file_without_its_kinds_list_is_not_saved(string json, ExportKind kind)
        {
            var error = await Assert.ThrowsAsync<ExportFormatException>(() => SaveAsync(json, kind));
            Assert.IsNotType<ExportKindMismatchException>(error);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }

        [Theory]
        [MemberData(nameof(OfAnotherKind))]
        public async Task A_file_of_another_kind_is_not_saved(string json, ExportKind kind, string named)
        {
            var error = await Assert.ThrowsAsync<ExportKindMismatchException>(() => SaveAsync(json, kind));
            Assert.Contains(named, error.Message, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }

        [Theory]
        [MemberData(nameof(Complete))]
        public async Task A_file_with_its_kinds_list_is_saved(string json, ExportKind kind)
        {
            await SaveAsync(json, kind);
            Assert.Equal(json, await File.ReadAllTextAsync(Path.Combine(folder, "block.json")));
        }

        [Theory]
        [InlineData("""{}""")]
        [InlineData("""{"errcode":0,"errmsg":"ok"}""")]
        [InlineData("""{"userlist":null}""")]
        [InlineData("""{"tagname":"t"}""")]
        [InlineData("""{"a":{"userlist":[]}}""")]
        [InlineData("""[{"userlist":[]}]""")]
        public async Task A_file_of_unknown_kind_must_still_hold_some_kinds_list(string json)
        {
            await Assert.ThrowsAsync<ExportFormatException>(() => SaveAsync(json, null));
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }

        [Theory]
        [InlineData("""{"userlist":[],"department":[]}""")]
        [InlineData("""{"department":[],"partylist":[]}""")]
        [InlineData("""{"tagname":"t","department":[]}""")]
        public async Task A_file_of_unknown_kind_holding_two_kinds_lists_is_not_saved(string json)
        {
            await Assert.ThrowsAsync<ExportKindMismatchException>(() => SaveAsync(json, null));
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }

        [Theory]
        [InlineData("""{"userlist":[]}""")]
        [InlineData("""{"department":[{"id":1}]}""")]
        [InlineData("""{"tagname":"t","userlist":[],"partylist":[2]}""")]
        public async Task A_file_of_unknown_kind_is_saved_when_it_holds_one_kinds_lists(string json)
        {
            await SaveAsync(json, null);
            Assert.Equal(json, await File.ReadAllTextAsync(Path.Combine(folder, "block.json")));
        }

        [Fact]
        public void A_list_far_into_a_file_is_checked_across_chunk_boundaries()
        {
            // The property name and its value arrive in different chunks: the validator carries the name over.
            var validator = new JsonDocumentValidator(ExportKind.Department);
            byte[] json = Utf8("""{"padding":"xxxxxxxxxx","userlist":[]}""");
            Assert.Throws<ExportKindMismatchException>(() =>
            {
                for (int i = 0; i < json.Length; i++)
                {
                    validator.Append(json, i, 1);
                }

                validator.Complete();
            });
        }

        private Task SaveAsync(string json, ExportKind? kind)
        {
            byte[] cipher = WeComCipher.Encrypt(VectorKey, Utf8(json));
            return BlockDecryption.DecryptToFileAsync(new TrickleStream(cipher, 7), VectorKey, kind, Path.Combine(folder, "block.json"), CancellationToken.None);
        }
    }
}

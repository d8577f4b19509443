using System;
using System.Collections.Generic;
using WeComExport.Blocks;
using WeComExport.Export;
using WeComExport.Records;
using Xunit;
using static WeComExport.Tests.Blocks.ReaderHarness;

namespace WeComExport.Tests.Blocks
{
    /// <summary>
    /// Damaged blocks, generated from the samples with a fixed seed (so every run tests the same
    /// inputs): the reader either reads them or throws ExportFormatException — no other exception
    /// type — and it reads them the same whatever the window and read sizes.
    /// </summary>
    public class ReaderMutationTests
    {
        public static TheoryData<ExportKind> Kinds() => new() { ExportKind.User, ExportKind.Department, ExportKind.TagUser };

        [Theory]
        [MemberData(nameof(Kinds))]
        public void Mutated_blocks_read_consistently_or_fail_as_format_errors(ExportKind kind)
        {
            byte[] original = BlockTestData.Utf8(kind switch
            {
                ExportKind.User => SampleBlocks.DetailedUsers,
                ExportKind.Department => SampleBlocks.Departments,
                _ => SampleBlocks.TagMembers,
            });
            byte[] interesting = BlockTestData.Utf8("{}[]\":,\\0123456789.eE-+ntfu\u00e9x");
            var random = new Random(20261126 + (int)kind);
            int read = 0, rejected = 0;
            for (int round = 0; round < 1500; round++)
            {
                byte[] mutated = Mutate(original, random, interesting);
                List<string>? whole = TryRead(mutated, kind, 128 * 1024, int.MaxValue);
                List<string>? chunked = TryRead(mutated, kind, 1 + random.Next(64), 1 + random.Next(9));
                Assert.Equal(whole, chunked);
                if (whole is null)
                {
                    rejected++;
                }
                else
                {
                    read++;
                }
            }

            // Both outcomes must occur, or the mutations are not exercising anything.
            Assert.True(read > 50 && rejected > 50, $"read {read}, rejected {rejected}");
        }

        [Fact]
        public void A_number_beyond_double_range_is_kept_as_its_literal()
        {
            var user = (WeComUser)Assert.Single(Read("""{"userlist":[{"userid":"a","huge":1e400,"status":1e400}]}""", ExportKind.User));
            Assert.Equal("1e400", user.AdditionalFields["huge"]);
            Assert.Equal("1e400", user.AdditionalFields["status"]);
            Assert.Null(user.Status);
        }

        private static List<string>? TryRead(byte[] json, ExportKind kind, int bufferSize, int maxRead)
        {
            try
            {
                return Dump(ReadChunked(json, kind, bufferSize, maxRead, tagId: 1));
            }
            catch (ExportFormatException)
            {
                return null;
            }
        }

        private static byte[] Mutate(byte[] original, Random random, byte[] interesting)
        {
            var bytes = new List<byte>(original);
            int edits = 1 + random.Next(3);
            for (int i = 0; i < edits && bytes.Count > 0; i++)
            {
                int at = random.Next(bytes.Count);
                byte b = random.Next(4) == 0 ? (byte)random.Next(256) : interesting[random.Next(interesting.Length)];
                switch (random.Next(3))
                {
                    case 0:
                        bytes[at] = b;
                        break;
                    case 1:
                        bytes.Insert(at, b);
                        break;
                    default:
                        bytes.RemoveAt(at);
                        break;
                }
            }

            return bytes.ToArray();
        }
    }
}

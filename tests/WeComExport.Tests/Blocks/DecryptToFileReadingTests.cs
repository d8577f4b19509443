using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Blocks;
using WeComExport.Crypto;
using WeComExport.Export;
using WeComExport.Records;
using Xunit;
using static WeComExport.Tests.Blocks.BlockTestData;

namespace WeComExport.Tests.Blocks
{
    /// <summary>
    /// A block file written and read in one pass (Export-WeComDirectory): the size and SHA-256 reported are the file's
    /// own, every record is seen in order, and a block that does not read as its kind's records leaves no file.
    /// </summary>
    public sealed class DecryptToFileReadingTests : IDisposable
    {
        private readonly string folder = NewTempFolder();

        public void Dispose() => Directory.Delete(folder, recursive: true);

        [Fact]
        public async Task The_reading_reports_the_files_own_size_and_sha256_and_every_record_in_order()
        {
            string plaintext = "{\"userlist\":[" + string.Join(",", Enumerable.Range(1, 5000).Select(i => $"{{\"userid\":\"u{i}\",\"name\":\"名{i}\"}}")) + "]}\n  ";
            byte[] cipher = WeComCipher.Encrypt(VectorKey, Utf8(plaintext));
            string destination = Path.Combine(folder, "user.block0000.json");
            var seen = new List<string?>();
            var reading = new BlockFileReading(null, r => seen.Add(((WeComUser)r).UserId));

            await BlockDecryption.DecryptToFileAsync(new TrickleStream(cipher, 7777), VectorKey, ExportKind.User, destination, reading, CancellationToken.None);

            byte[] onDisk = await File.ReadAllBytesAsync(destination);
            Assert.Equal(Utf8(plaintext), onDisk);
            Assert.Equal(onDisk.Length, reading.Bytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(onDisk)), reading.Sha256Hex);
            Assert.Equal(5000, reading.Records);
            Assert.Equal(Enumerable.Range(1, 5000).Select(i => "u" + i), seen);
        }

        [Fact]
        public async Task Tag_members_carry_the_tag_id_given_to_the_reading()
        {
            byte[] cipher = WeComCipher.Encrypt(VectorKey, Utf8("{\"tagname\":\"t\",\"userlist\":[{\"userid\":\"a\"}],\"partylist\":[3]}"));
            var members = new List<WeComTagMember>();
            var reading = new BlockFileReading(42, r => members.Add((WeComTagMember)r));

            await BlockDecryption.DecryptToFileAsync(new MemoryStream(cipher), VectorKey, ExportKind.TagUser, Path.Combine(folder, "tag.json"), reading, CancellationToken.None);

            Assert.Equal(2, reading.Records);
            Assert.All(members, m => Assert.Equal((42L, "t"), (m.TagId, m.TagName)));
        }

        [Theory]
        [InlineData("{\"userlist\":[{\"userid\":\"a\"},", typeof(ExportFormatException))]
        [InlineData("{\"department\":[]}", typeof(ExportKindMismatchException))]
        [InlineData("{}", typeof(ExportFormatException))]
        public async Task A_block_that_does_not_read_as_its_kinds_records_leaves_no_file(string plaintext, Type expected)
        {
            byte[] cipher = WeComCipher.Encrypt(VectorKey, Utf8(plaintext));
            string destination = Path.Combine(folder, "user.block0000.json");

            Exception error = await Assert.ThrowsAnyAsync<Exception>(() => BlockDecryption.DecryptToFileAsync(new MemoryStream(cipher), VectorKey, ExportKind.User, destination, new BlockFileReading(null, null), CancellationToken.None));

            Assert.IsAssignableFrom(expected, error);
            Assert.Empty(Directory.GetFiles(folder));
        }
    }
}

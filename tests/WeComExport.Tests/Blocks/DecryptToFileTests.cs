using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Blocks;
using WeComExport.Crypto;
using Xunit;
using static WeComExport.Tests.Blocks.BlockTestData;

namespace WeComExport.Tests.Blocks
{
    public sealed class DecryptToFileTests : IDisposable
    {
        private readonly string folder = NewTempFolder();

        public void Dispose() => Directory.Delete(folder, recursive: true);

        [Fact]
        public async Task A_valid_block_lands_at_the_destination_with_no_temporary_file_left()
        {
            string destination = Path.Combine(folder, "data_0.json");
            byte[] cipher = Convert.FromBase64String(VectorCiphertextBase64);

            await BlockDecryption.DecryptToFileAsync(new TrickleStream(cipher, 10), VectorKey, destination, CancellationToken.None);

            Assert.Equal(VectorPlaintext, await File.ReadAllTextAsync(destination));
            Assert.Single(Directory.GetFiles(folder));
        }

        [Fact]
        public async Task A_valid_block_replaces_an_existing_file()
        {
            string destination = Path.Combine(folder, "data_0.json");
            await File.WriteAllTextAsync(destination, "old");
            byte[] cipher = WeComCipher.Encrypt(VectorKey, Utf8("{\"department\":[]}"));

            await BlockDecryption.DecryptToFileAsync(new MemoryStream(cipher), VectorKey, destination, CancellationToken.None);

            Assert.Equal("{\"department\":[]}", await File.ReadAllTextAsync(destination));
            Assert.Single(Directory.GetFiles(folder));
        }

        [Fact]
        public async Task Bad_padding_leaves_no_file_and_the_old_one_untouched()
        {
            string fresh = Path.Combine(folder, "fresh.json");
            string existing = Path.Combine(folder, "existing.json");
            await File.WriteAllTextAsync(existing, "old");
            // Valid JSON, so only the missing last AES block (and with it the padding) can fail it.
            byte[] cipher = WeComCipher.Encrypt(VectorKey, Utf8("{\"userlist\":[]}" + new string(' ', 100_000)));
            Array.Resize(ref cipher, cipher.Length - 16);

            await Assert.ThrowsAsync<WeComCryptoException>(() => BlockDecryption.DecryptToFileAsync(new MemoryStream(cipher), VectorKey, fresh, CancellationToken.None));
            await Assert.ThrowsAsync<WeComCryptoException>(() => BlockDecryption.DecryptToFileAsync(new MemoryStream(cipher), VectorKey, existing, CancellationToken.None));

            Assert.False(File.Exists(fresh));
            Assert.Equal("old", await File.ReadAllTextAsync(existing));
            Assert.Single(Directory.GetFiles(folder));
        }

        [Theory]
        [InlineData("{\"userlist\":[{\"userid\":\"a\"}")]
        [InlineData("{\"userlist\":[]} {}")]
        [InlineData("")]
        [InlineData("not json")]
        public async Task Plaintext_that_is_not_one_complete_json_document_is_not_saved(string plaintext)
        {
            string destination = Path.Combine(folder, "data_0.json");
            byte[] cipher = WeComCipher.Encrypt(VectorKey, Utf8(plaintext));

            await Assert.ThrowsAsync<ExportFormatException>(() => BlockDecryption.DecryptToFileAsync(new MemoryStream(cipher), VectorKey, destination, CancellationToken.None));

            Assert.Empty(Directory.GetFiles(folder));
        }

        [Fact]
        public async Task A_large_block_read_in_small_pieces_is_validated_and_saved_whole()
        {
            // A 300 KB string value spans many 80 KB copy chunks: the validator must carry it across them.
            string plaintext = "{\"tagname\":\"" + new string('长', 100_000) + "\",\"userlist\":[],\"partylist\":[1,2]}";
            byte[] cipher = WeComCipher.Encrypt(VectorKey, Utf8(plaintext));
            string destination = Path.Combine(folder, "tag.json");

            await BlockDecryption.DecryptToFileAsync(new TrickleStream(cipher, 3000), VectorKey, destination, CancellationToken.None);

            Assert.Equal(plaintext, await File.ReadAllTextAsync(destination));
        }

        [Fact]
        public async Task A_missing_folder_fails_without_leaving_anything()
        {
            string destination = Path.Combine(folder, "missing", "data_0.json");
            byte[] cipher = WeComCipher.Encrypt(VectorKey, Utf8(VectorPlaintext));

            await Assert.ThrowsAsync<DirectoryNotFoundException>(() => BlockDecryption.DecryptToFileAsync(new MemoryStream(cipher), VectorKey, destination, CancellationToken.None));

            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }

        [Fact]
        public async Task Cancelling_leaves_no_file()
        {
            string destination = Path.Combine(folder, "data_0.json");
            byte[] cipher = WeComCipher.Encrypt(VectorKey, Utf8(VectorPlaintext));
            using var cancelled = new CancellationTokenSource();
            await cancelled.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BlockDecryption.DecryptToFileAsync(new MemoryStream(cipher), VectorKey, destination, cancelled.Token));

            Assert.Empty(Directory.GetFiles(folder));
        }
    }
}

using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Blocks;
using WeComExport.Crypto;
using Xunit;
using static WeComExport.Tests.Blocks.BlockTestData;

namespace WeComExport.Tests.Blocks
{
    /// <summary>
    /// The block crypto checked against openssl and Node's crypto: the emulator shares this module's
    /// cipher, so only an outside implementation can catch a bug they would both have.
    /// </summary>
    public sealed class CrossImplementationTests : IDisposable
    {
        private readonly string folder = NewTempFolder();

        public void Dispose() => Directory.Delete(folder, recursive: true);

        [Theory]
        [InlineData(94)]
        [InlineData(96)]
        [InlineData(100_000)]
        public void A_block_openssl_encrypted_decrypts_with_the_stream(int length)
        {
            byte[] plain = RandomBytes(length);
            int pad = WeComCipher.PadLength(length);
            string paddedPath = Path.Combine(folder, "padded.bin");
            string cipherPath = Path.Combine(folder, "cipher.bin");
            File.WriteAllBytes(paddedPath, plain.Concat(Enumerable.Repeat((byte)pad, pad)).ToArray());

            ExternalTool.Run(ExternalTool.OpenSsl, "enc", "-e", "-aes-256-cbc", "-nopad", "-K", VectorKeyHex, "-iv", VectorIvHex, "-in", paddedPath, "-out", cipherPath);

            Assert.Equal(plain, Decrypt(File.ReadAllBytes(cipherPath), VectorKey, maxSourceRead: 999, readSize: 4096));
        }

        [Theory]
        [InlineData(94)]
        [InlineData(128)]
        [InlineData(100_001)]
        public async Task A_block_encrypted_here_decrypts_with_openssl_to_the_padded_plaintext(int length)
        {
            byte[] plain = RandomBytes(length);
            string cipherPath = Path.Combine(folder, "cipher.bin");
            string decryptedPath = Path.Combine(folder, "decrypted.bin");
            using (FileStream file = File.Create(cipherPath))
            {
                await BlockEncryption.EncryptAsync(new MemoryStream(plain), file, VectorKey, CancellationToken.None);
            }

            ExternalTool.Run(ExternalTool.OpenSsl, "enc", "-d", "-aes-256-cbc", "-nopad", "-K", VectorKeyHex, "-iv", VectorIvHex, "-in", cipherPath, "-out", decryptedPath);

            byte[] padded = File.ReadAllBytes(decryptedPath);
            int pad = WeComCipher.PadLength(length);
            Assert.Equal(length + pad, padded.Length);
            Assert.Equal(plain, padded.AsSpan(0, length).ToArray());
            Assert.All(padded.Skip(length), b => Assert.Equal(pad, b));
        }

        [Fact]
        public void The_vector_key_derives_the_spec_key_and_iv()
        {
            Assert.Equal(VectorKeyHex, Convert.ToHexStringLower(VectorKey.GetKeyBytes()));
            Assert.Equal(VectorIvHex, Convert.ToHexStringLower(VectorKey.GetIV()));
        }

        [Fact]
        public async Task The_md5_of_a_spooled_block_matches_openssl()
        {
            byte[] block = RandomBytes(300_000);
            string path = Path.Combine(folder, "block.bin");
            BlockChecksum checksum;
            using (FileStream file = File.Create(path))
            {
                checksum = await BlockIntegrity.CopyAndHashAsync(new TrickleStream(block, 5000), file, null, CancellationToken.None);
            }

            // openssl prints "MD5(path)= <hex>".
            string output = ExternalTool.Run(ExternalTool.OpenSsl, "md5", path);
            Assert.Equal(output.Trim().Split('=').Last().Trim(), checksum.Md5Hex);
            Assert.Equal(block.Length, checksum.Size);
        }

        [Fact]
        public void Node_decrypts_a_block_encrypted_here_and_this_decrypts_one_node_encrypted()
        {
            byte[] plain = Utf8(VectorPlaintext + " " + new string('x', 1000));
            byte[] ours = WeComCipher.Encrypt(VectorKey, plain);
            string oursPath = Path.Combine(folder, "ours.bin");
            string theirsPath = Path.Combine(folder, "theirs.bin");
            File.WriteAllBytes(oursPath, ours);

            // Node pads to 32 by hand (its own PKCS#7 pads to 16), encrypts with setAutoPadding(false), and
            // decrypts ours the same way, printing the plaintext it found.
            const string Script = """
                const crypto = require('crypto'); const fs = require('fs');
                const [keyB64, oursPath, theirsPath, text] = process.argv.slice(1);
                const key = Buffer.from(keyB64 + '=', 'base64'); const iv = key.subarray(0, 16);
                const d = crypto.createDecipheriv('aes-256-cbc', key, iv); d.setAutoPadding(false);
                const padded = Buffer.concat([d.update(fs.readFileSync(oursPath)), d.final()]);
                process.stdout.write(padded.subarray(0, padded.length - padded[padded.length - 1]).toString('base64'));
                const plain = Buffer.from(text, 'utf8'); const pad = 32 - plain.length % 32;
                const e = crypto.createCipheriv('aes-256-cbc', key, iv); e.setAutoPadding(false);
                fs.writeFileSync(theirsPath, Buffer.concat([e.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), e.final()]));
                """;
            string nodeSaw = ExternalTool.Run("node", "-e", Script, VectorKeyText, oursPath, theirsPath, "节点 node 加密");

            Assert.Equal(plain, Convert.FromBase64String(nodeSaw));
            Assert.Equal("节点 node 加密", Encoding.UTF8.GetString(Decrypt(File.ReadAllBytes(theirsPath), VectorKey)));
        }
    }
}

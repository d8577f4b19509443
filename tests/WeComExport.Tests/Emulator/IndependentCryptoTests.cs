using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using WeComExport.Crypto;
using WeComExport.Emulator.Jobs;
using Xunit;

namespace WeComExport.Tests.Emulator
{
    /// <summary>The emulator's block encryption and MD5 checked with openssl and Node, which share no code with it.</summary>
    public class IndependentCryptoTests
    {
        private static string KeyHex(string key) => Convert.ToHexStringLower(Convert.FromBase64String(key + "="));

        private static async Task<byte[]> OpensslDecryptAsync(string path, string key)
        {
            string hex = KeyHex(key);
            return await ExternalTool.RunAsync("openssl", "enc", "-d", "-aes-256-cbc", "-nopad", "-K", hex, "-iv", hex[..32], "-in", path);
        }

        [Theory]
        [InlineData(64, 32)]
        [InlineData(50, 14)]
        [InlineData(94, 2)]
        [InlineData(70000, 16)]
        public async Task A_block_encrypted_by_the_emulator_decrypts_with_openssl_to_the_text_and_its_32_byte_pad(int length, int pad)
        {
            string path = Path.GetTempFileName();
            try
            {
                EncodingAesKey key = EncodingAesKey.Generate();
                byte[] plain = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"名\":\"x\"}", length)))[..length];
                long size;
                string md5;
                await using (var file = new FileStream(path, FileMode.Create))
                using (var block = new EncryptedBlockStream(file, key))
                {
                    block.Write(plain, 0, 10);
                    block.Write(plain, 10, plain.Length - 10);
                    (size, md5) = block.Complete();
                }

                Assert.Equal(length + pad, size);
                Assert.Equal(size, new FileInfo(path).Length);
                byte[] padded = await OpensslDecryptAsync(path, key.Reveal());
                Assert.Equal(plain, padded[..length]);
                Assert.All(padded[length..], b => Assert.Equal(pad, b));
                Assert.Equal(pad, padded.Length - length);
                string opensslMd5 = Encoding.ASCII.GetString(await ExternalTool.RunAsync("openssl", "dgst", "-md5", "-r", path)).Split(' ')[0];
                Assert.Equal(opensslMd5, md5);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public async Task The_known_answer_vector_comes_out_of_the_emulators_block_stream()
        {
            using var output = new MemoryStream();
            using (var block = new EncryptedBlockStream(output, EncodingAesKey.Parse(EmulatorHarness.Key)))
            {
                block.Write(Encoding.UTF8.GetBytes("{\"userlist\":[{\"userid\":\"zhangsan\",\"name\":\"张三\",\"department\":[1,2],\"open_userid\":\"xxxxxx\"}]}"));
                Assert.Equal((96L, "e8bac67f46dc61c51b649397ed17b237"), block.Complete());
            }

            Assert.Equal("qKNEBFkBvfNOCE9qEmlUg9FcUqqk2bp1uAvUa95tviCQykQ4AKI0mnu/ApPICr0rdiS1jMNGmI5vnwhdkzOl1oyaRR2fl3jniFiLfdOC4JQv6M1wq1GMU563fi/Yq38x", Convert.ToBase64String(output.ToArray()));
            await Task.CompletedTask;
        }

        [Fact]
        public async Task A_downloaded_block_decrypts_with_openssl_and_node_to_one_JSON_document()
        {
            await using var emu = await EmulatorHarness.StartAsync(o => o.Members = 120);
            string token = await emu.TokenAsync();
            JsonElement entry = (await emu.WaitAsync(token, await emu.StartExportAsync(token, "user", blockSize: 50))).GetProperty("data_list")[1];
            string path = Path.GetTempFileName();
            try
            {
                await File.WriteAllBytesAsync(path, await emu.Http.GetByteArrayAsync(entry.GetProperty("url").GetString()));
                byte[] padded = await OpensslDecryptAsync(path, EmulatorHarness.Key);
                int pad = padded[^1];
                Assert.InRange(pad, 1, 32);
                using JsonDocument doc = JsonDocument.Parse(padded.AsMemory(0, padded.Length - pad));
                Assert.Equal(50, doc.RootElement.GetProperty("userlist").GetArrayLength());

                string hex = KeyHex(EmulatorHarness.Key);
                string script = "const c=require('crypto'),fs=require('fs');const d=c.createDecipheriv('aes-256-cbc',Buffer.from(process.argv[2],'hex'),Buffer.from(process.argv[2].slice(0,32),'hex'));d.setAutoPadding(false);const p=Buffer.concat([d.update(fs.readFileSync(process.argv[1])),d.final()]);const n=p[p.length-1];const j=JSON.parse(p.subarray(0,p.length-n).toString('utf8'));process.stdout.write(j.userlist.length+' '+c.createHash('md5').update(fs.readFileSync(process.argv[1])).digest('hex'))";
                string node = Encoding.ASCII.GetString(await ExternalTool.RunAsync("node", "-e", script, path, hex));
                Assert.Equal("50 " + entry.GetProperty("md5").GetString(), node);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}

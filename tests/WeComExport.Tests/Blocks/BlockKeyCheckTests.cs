using System;
using System.IO;
using System.Linq;
using System.Text;
using WeComExport.Blocks;
using WeComExport.Crypto;
using Xunit;

namespace WeComExport.Tests.Blocks
{
    public class BlockKeyCheckTests
    {
        private static readonly EncodingAesKey Key = EncodingAesKey.Parse("IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2");

        private static MemoryStream Block(string json) => new(WeComCipher.Encrypt(Key, Encoding.UTF8.GetBytes(json)));

        [Theory]
        [InlineData("{\"userlist\":[]}")] // one 32-byte unit: the tail's IV is the key's IV
        [InlineData("{\"userlist\":[{\"userid\":\"a\"}],\"x\":\"0123456789abcdef0123456789abcdef\"}")]
        [InlineData("  \n{\"department\":[]}                                                            ")]
        [InlineData("\uFEFF{\"department\":[]}")] // a UTF-8 byte order mark before the JSON
        public void The_right_key_passes_and_the_stream_is_rewound(string json)
        {
            using MemoryStream block = Block(json);
            block.Position = 7;
            BlockKeyCheck.ThrowIfWrongKey(block, Key);
            Assert.Equal(0, block.Position);
        }

        [Fact]
        public void Wrong_keys_are_caught_before_parsing()
        {
            using MemoryStream block = Block("{\"userlist\":[" + string.Join(",", Enumerable.Range(0, 50).Select(i => $"{{\"userid\":\"u{i}\"}}")) + "]}");
            // Seeded, so the outcome is the same on every run (a wrong key slips through about once in 65,000).
            var random = new Random(20261126);
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            for (int i = 0; i < 200; i++)
            {
                var wrong = EncodingAesKey.Parse(new string(Enumerable.Range(0, 43).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()));
                Assert.Throws<WeComCryptoException>(() => BlockKeyCheck.ThrowIfWrongKey(block, wrong));
            }
        }

        [Theory]
        [InlineData(0)]
        [InlineData(16)]
        [InlineData(33)]
        public void Lengths_that_cannot_be_ciphertext_are_refused(int length)
        {
            using var block = new MemoryStream(new byte[length]);
            Assert.Throws<WeComCryptoException>(() => BlockKeyCheck.ThrowIfWrongKey(block, Key));
        }
    }
}

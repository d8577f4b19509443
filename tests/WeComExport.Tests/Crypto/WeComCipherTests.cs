using System;
using System.Security.Cryptography;
using System.Text;
using WeComExport.Crypto;
using Xunit;

namespace WeComExport.Tests.Crypto
{
    public class WeComCipherTests
    {
        private const string VectorPlaintext = "{\"userlist\":[{\"userid\":\"zhangsan\",\"name\":\"张三\",\"department\":[1,2],\"open_userid\":\"xxxxxx\"}]}";
        private const string VectorCiphertextBase64 = "qKNEBFkBvfNOCE9qEmlUg9FcUqqk2bp1uAvUa95tviCQykQ4AKI0mnu/ApPICr0rdiS1jMNGmI5vnwhdkzOl1oyaRR2fl3jniFiLfdOC4JQv6M1wq1GMU563fi/Yq38x";
        private const string VectorCiphertextMd5 = "e8bac67f46dc61c51b649397ed17b237";

        private static readonly EncodingAesKey Key = EncodingAesKey.Parse(EncodingAesKeyTests.VectorKey);

        [Fact]
        public void Encrypting_the_vector_gives_the_known_ciphertext()
        {
            byte[] plain = Encoding.UTF8.GetBytes(VectorPlaintext);
            Assert.Equal(94, plain.Length);
            byte[] cipher = WeComCipher.Encrypt(Key, plain);
            Assert.Equal(96, cipher.Length);
            Assert.Equal(VectorCiphertextBase64, Convert.ToBase64String(cipher));
            Assert.Equal(VectorCiphertextMd5, Convert.ToHexString(MD5.HashData(cipher)).ToLowerInvariant());
        }

        [Fact]
        public void Decrypting_the_known_ciphertext_gives_the_vector()
        {
            byte[] plain = WeComCipher.Decrypt(Key, Convert.FromBase64String(VectorCiphertextBase64));
            Assert.Equal(VectorPlaintext, Encoding.UTF8.GetString(plain));
        }

        [Theory]
        [InlineData(0, 32)]
        [InlineData(1, 31)]
        [InlineData(15, 17)]
        [InlineData(16, 16)]
        [InlineData(17, 15)]
        [InlineData(31, 1)]
        [InlineData(32, 32)]
        [InlineData(94, 2)]
        public void Padding_goes_to_a_multiple_of_32_with_a_full_block_when_aligned(int length, int expectedPad)
        {
            Assert.Equal(expectedPad, WeComCipher.PadLength(length));
            byte[] plain = RandomNumberGenerator.GetBytes(length);
            byte[] cipher = WeComCipher.Encrypt(Key, plain);
            Assert.Equal(length + expectedPad, cipher.Length);
            Assert.Equal(plain, WeComCipher.Decrypt(Key, cipher));
        }

        [Fact]
        public void A_wrong_key_fails_with_a_crypto_error_not_garbage()
        {
            byte[] cipher = WeComCipher.Encrypt(Key, Encoding.UTF8.GetBytes(VectorPlaintext));
            // A wrong key leaves a random last byte; a valid-looking pad by chance is possible but rare,
            // so try several keys and require that most are rejected.
            int rejected = 0;
            for (int i = 0; i < 20; i++)
            {
                try
                {
                    WeComCipher.Decrypt(EncodingAesKey.Generate(), cipher);
                }
                catch (WeComCryptoException)
                {
                    rejected++;
                }
            }

            Assert.True(rejected >= 15, $"only {rejected} of 20 wrong keys were rejected");
        }

        [Theory]
        [InlineData(0)]
        [InlineData(15)]
        [InlineData(33)]
        public void Ciphertext_that_is_not_whole_aes_blocks_is_rejected(int length)
        {
            Assert.Throws<WeComCryptoException>(() => WeComCipher.Decrypt(Key, new byte[length]));
        }

        [Theory]
        [InlineData(new byte[] { 1, 2, 3, 0 })]
        [InlineData(new byte[] { 1, 2, 3, 33 })]
        [InlineData(new byte[] { 1, 2, 4, 3, 3 })]
        public void Bad_padding_is_rejected(byte[] data)
        {
            Assert.Throws<WeComCryptoException>(() => WeComCipher.CheckPadding(data, data.Length));
        }
    }
}

using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading.Tasks;
using WeComExport.Blocks;
using WeComExport.Crypto;
using Xunit;
using static WeComExport.Tests.Blocks.BlockTestData;

namespace WeComExport.Tests.Blocks
{
    public class BlockDecryptionStreamTests
    {
        [Fact]
        public void The_known_answer_vector_decrypts_to_its_plaintext()
        {
            byte[] plain = Decrypt(Convert.FromBase64String(VectorCiphertextBase64), VectorKey);
            Assert.Equal(VectorPlaintext, System.Text.Encoding.UTF8.GetString(plain));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(15)]
        [InlineData(16)]
        [InlineData(17)]
        [InlineData(31)]
        [InlineData(32)]
        [InlineData(33)]
        [InlineData(47)]
        [InlineData(48)]
        [InlineData(63)]
        [InlineData(64)]
        [InlineData(65)]
        [InlineData(65535)]
        [InlineData(65536)]
        [InlineData(65537)]
        [InlineData(200_000)]
        public void Round_trips_every_length_near_the_16_and_32_byte_boundaries(int length)
        {
            byte[] plain = RandomBytes(length);
            byte[] cipher = WeComCipher.Encrypt(VectorKey, plain);

            Assert.Equal(plain, Decrypt(cipher, VectorKey));
            Assert.Equal(plain, Decrypt(cipher, VectorKey, maxSourceRead: 1, readSize: 1));
            Assert.Equal(plain, Decrypt(cipher, VectorKey, maxSourceRead: 7, readSize: 13));
            Assert.Equal(plain, Decrypt(cipher, VectorKey, maxSourceRead: 1 << 20, readSize: 1 << 20));
        }

        [Fact]
        public void A_full_32_byte_pad_and_a_pad_below_16_are_both_stripped()
        {
            // 64 bytes pad with a whole 32-byte block of 0x20; 50 bytes pad with 14 bytes of 0x0e.
            foreach (int length in new[] { 64, 50 })
            {
                byte[] plain = RandomBytes(length);
                byte[] cipher = WeComCipher.Encrypt(VectorKey, plain);
                Assert.Equal(length + WeComCipher.PadLength(length), cipher.Length);
                Assert.Equal(plain, Decrypt(cipher, VectorKey, maxSourceRead: 5, readSize: 3));
            }
        }

        [Fact]
        public async Task ReadAsync_gives_the_same_plaintext_as_Read()
        {
            byte[] plain = RandomBytes(100_003);
            byte[] cipher = WeComCipher.Encrypt(VectorKey, plain);
            using Stream stream = BlockDecryption.OpenPlaintext(new TrickleStream(cipher, 1000), VectorKey);
            using var all = new MemoryStream();
            await stream.CopyToAsync(all, 777);
            Assert.Equal(plain, all.ToArray());
        }

        [Fact]
        public void A_wrong_key_is_rejected_with_a_crypto_error()
        {
            byte[] cipher = WeComCipher.Encrypt(VectorKey, RandomBytes(1000));
            // A wrong key leaves a random last block; a valid-looking pad is possible by chance, so
            // require most of 20 wrong keys to be rejected.
            int rejected = 0;
            for (int i = 0; i < 20; i++)
            {
                try
                {
                    Decrypt(cipher, EncodingAesKey.Generate());
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
        [InlineData(33)]
        [InlineData(255)]
        public void A_pad_value_outside_1_to_32_is_rejected(int padValue)
        {
            byte[] padded = new byte[64];
            padded[63] = (byte)padValue;
            Assert.Throws<WeComCryptoException>(() => Decrypt(EncryptRaw(padded), VectorKey));
        }

        [Fact]
        public void Pad_bytes_that_disagree_are_rejected()
        {
            byte[] padded = new byte[64];
            for (int i = 44; i < 64; i++)
            {
                padded[i] = 20;
            }

            padded[45] = 19;
            Assert.Throws<WeComCryptoException>(() => Decrypt(EncryptRaw(padded), VectorKey, maxSourceRead: 1, readSize: 1));
        }

        [Fact]
        public void A_pad_longer_than_a_16_byte_message_is_rejected()
        {
            byte[] padded = new byte[16];
            Array.Fill(padded, (byte)32);
            Assert.Throws<WeComCryptoException>(() => Decrypt(EncryptRaw(padded), VectorKey));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(15)]
        [InlineData(17)]
        public void Ciphertext_cut_inside_an_aes_block_is_rejected(int cut)
        {
            byte[] cipher = WeComCipher.Encrypt(VectorKey, RandomBytes(500));
            byte[] truncated = cipher.AsSpan(0, cipher.Length - cut).ToArray();
            var error = Assert.Throws<WeComCryptoException>(() => Decrypt(truncated, VectorKey));
            Assert.Contains("multiple of the AES block size", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Ciphertext_cut_at_an_aes_block_boundary_fails_on_its_padding()
        {
            // 1000 bytes pad with 24; dropping the last two AES blocks leaves plaintext (0x41) where the pad should be.
            byte[] cipher = WeComCipher.Encrypt(VectorKey, FilledBytes(1000, 0x41));
            byte[] truncated = cipher.AsSpan(0, cipher.Length - 32).ToArray();
            Assert.Throws<WeComCryptoException>(() => Decrypt(truncated, VectorKey));
        }

        [Fact]
        public void Empty_ciphertext_is_rejected()
        {
            Assert.Throws<WeComCryptoException>(() => Decrypt(Array.Empty<byte>(), VectorKey));
        }

        [Fact]
        public void No_plaintext_is_released_before_the_last_32_bytes_are_known()
        {
            // The padding is only known at the end: while the source has more to come, the stream
            // must hold back the last 32 bytes it decrypted.
            byte[] plain = RandomBytes(96);
            byte[] cipher = WeComCipher.Encrypt(VectorKey, plain);
            Assert.Equal(128, cipher.Length);
            using var source = new TrickleStream(cipher, 64);
            using Stream stream = BlockDecryption.OpenPlaintext(source, VectorKey, leaveOpen: true);
            var buffer = new byte[1000];
            int first = stream.Read(buffer, 0, buffer.Length);
            Assert.Equal(32, first);
            Assert.Equal(plain.AsSpan(0, 32).ToArray(), buffer.AsSpan(0, 32).ToArray());
        }

        [Fact]
        public void Disposing_closes_the_ciphertext_unless_asked_to_leave_it_open()
        {
            byte[] cipher = WeComCipher.Encrypt(VectorKey, RandomBytes(10));
            var closed = new TrickleStream(cipher, 100);
            BlockDecryption.OpenPlaintext(closed, VectorKey).Dispose();
            Assert.True(closed.Disposed);

            var open = new TrickleStream(cipher, 100);
            BlockDecryption.OpenPlaintext(open, VectorKey, leaveOpen: true).Dispose();
            Assert.False(open.Disposed);
        }

        [Fact]
        public void The_stream_is_read_only_and_forward_only()
        {
            using Stream stream = BlockDecryption.OpenPlaintext(new MemoryStream(new byte[32]), VectorKey);
            Assert.True(stream.CanRead);
            Assert.False(stream.CanSeek);
            Assert.False(stream.CanWrite);
            Assert.Throws<NotSupportedException>(() => stream.Length);
            Assert.Throws<NotSupportedException>(() => stream.Write(new byte[1], 0, 1));
        }

        private static byte[] FilledBytes(int length, byte value)
        {
            var bytes = new byte[length];
            Array.Fill(bytes, value);
            return bytes;
        }

        /// <summary>Encrypts already padded bytes as they are, to forge bad padding.</summary>
        private static byte[] EncryptRaw(byte[] padded)
        {
            using Aes aes = WeComCipher.CreateAes(VectorKey);
            return aes.EncryptCbc(padded, aes.IV, PaddingMode.None);
        }
    }
}

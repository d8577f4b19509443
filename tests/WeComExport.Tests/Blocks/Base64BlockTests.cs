using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Blocks;
using Xunit;
using static WeComExport.Tests.Blocks.BlockTestData;

namespace WeComExport.Tests.Blocks
{
    public class Base64BlockTests
    {
        private static MemoryStream Text(string text) => new(Encoding.ASCII.GetBytes(text));

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task Base64_of_whole_aes_blocks_is_recognised_and_decoded_with_or_without_line_breaks(bool lineBreaks)
        {
            byte[] ciphertext = RandomBytes(200_000);
            string text = Convert.ToBase64String(ciphertext, lineBreaks ? Base64FormattingOptions.InsertLineBreaks : Base64FormattingOptions.None);
            using MemoryStream block = Text(text);
            block.Position = 1234;

            Assert.True(Base64Block.IsBase64(block));
            Assert.Equal(0, block.Position);
            var decoded = new MemoryStream();
            await Base64Block.DecodeAsync(block, decoded, CancellationToken.None);
            Assert.Equal(ciphertext, decoded.ToArray());
        }

        [Fact]
        public void The_known_vector_in_base64_is_recognised_and_its_raw_ciphertext_is_not()
        {
            Assert.True(Base64Block.IsBase64(Text(VectorCiphertextBase64)));
            Assert.False(Base64Block.IsBase64(new MemoryStream(Convert.FromBase64String(VectorCiphertextBase64))));
        }

        [Theory]
        [InlineData("")]
        [InlineData("\r\n")]
        // 15 bytes: not whole AES blocks.
        [InlineData("AAAAAAAAAAAAAAAAAAAA")]
        // 17 bytes.
        [InlineData("AAAAAAAAAAAAAAAAAAAAAAA=")]
        // Not a whole number of quartets.
        [InlineData("AAAAAAAAAAAAAAAAAAAAAAA")]
        // '=' before the end, three pads, a character outside the alphabet, a space.
        [InlineData("AAAAAAAAAAAAAAAAAAAA=AAA")]
        [InlineData("AAAAAAAAAAAAAAAAAAAAA===")]
        [InlineData("AAAAAAAAAAAAAAAAAAAAAA-=")]
        [InlineData("AAAAAAAAAA AAAAAAAAAAAA==")]
        public void Other_text_is_not_taken_for_base64(string text)
        {
            Assert.False(Base64Block.IsBase64(Text(text)));
        }

        [Fact]
        public void Sixteen_bytes_with_two_pads_are_base64()
        {
            string text = Convert.ToBase64String(new byte[16]);
            Assert.EndsWith("==", text, StringComparison.Ordinal);
            Assert.True(Base64Block.IsBase64(Text(text)));
        }

        [Fact]
        public void Raw_ciphertext_is_rejected_within_its_first_bytes()
        {
            // One byte outside the alphabet near the start: the rest is never read.
            byte[] raw = Enumerable.Repeat((byte)'A', 1 << 20).ToArray();
            raw[3] = 0xC8;
            var counting = new CountingStream(raw);
            Assert.False(Base64Block.IsBase64(counting));
            Assert.Equal(1, counting.ReadCalls);
        }

        /// <summary>Counts the reads made of it.</summary>
        private sealed class CountingStream : MemoryStream
        {
            public CountingStream(byte[] bytes)
                : base(bytes)
            {
            }

            public int ReadCalls { get; private set; }

            public override int Read(byte[] buffer, int offset, int count)
            {
                ReadCalls++;
                return base.Read(buffer, offset, count);
            }
        }
    }
}

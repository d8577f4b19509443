using System.IO;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Blocks;
using WeComExport.Crypto;
using Xunit;
using static WeComExport.Tests.Blocks.BlockTestData;

namespace WeComExport.Tests.Blocks
{
    public class BlockEncryptionTests
    {
        [Theory]
        [InlineData(0)]
        [InlineData(94)]
        [InlineData(65_536)]
        [InlineData(65_537)]
        [InlineData(200_031)]
        public async Task Streaming_encryption_equals_whole_buffer_encryption(int length)
        {
            byte[] plain = RandomBytes(length);
            var cipher = new MemoryStream();

            long written = await BlockEncryption.EncryptAsync(new TrickleStream(plain, 10_000), cipher, VectorKey, CancellationToken.None);

            Assert.Equal(WeComCipher.Encrypt(VectorKey, plain), cipher.ToArray());
            Assert.Equal(cipher.Length, written);
        }
    }
}

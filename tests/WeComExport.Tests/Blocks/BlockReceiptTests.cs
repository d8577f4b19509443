using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Blocks;
using Xunit;
using static WeComExport.Tests.Blocks.BlockTestData;

namespace WeComExport.Tests.Blocks
{
    public class BlockReceiptTests
    {
        [Fact]
        public async Task An_endless_body_is_read_no_further_than_one_byte_past_the_size()
        {
            var endless = new EndlessStream();
            var spooled = new MemoryStream();
            using var receipt = new BlockReceipt(200_000, blockIndex: 3);

            var ex = await Assert.ThrowsAsync<WeComException>(() => receipt.AppendAsync(endless, spooled, null, null, CancellationToken.None));

            Assert.Equal("WeComDownloadProtocolViolation", ex.ErrorId);
            Assert.Equal(WeComErrorKind.InvalidData, ex.Kind);
            Assert.Contains("block 3", ex.Message, StringComparison.Ordinal);
            Assert.Equal(200_001, endless.Consumed);
            Assert.True(spooled.Length <= 200_000);
        }

        [Fact]
        public async Task Two_parts_hash_as_one_block_and_each_read_with_bytes_is_told()
        {
            byte[] block = RandomBytes(300_000);
            var spooled = new MemoryStream();
            using var receipt = new BlockReceipt(block.Length, 0);
            int arrivals = 0;
            var totals = new List<long>();

            await receipt.AppendAsync(new TrickleStream(block[..123_457], 1000), spooled, () => arrivals++, totals.Add, CancellationToken.None);
            Assert.Equal(123_457, receipt.Received);
            await receipt.AppendAsync(new TrickleStream(block[123_457..], 1000), spooled, () => arrivals++, totals.Add, CancellationToken.None);

            Assert.Equal(0, receipt.Remaining);
            Assert.Equal(301, arrivals);
            Assert.Equal(block.Length, totals[^1]);
            Assert.Equal(new BlockChecksum(block.Length, Convert.ToHexStringLower(MD5.HashData(block))), receipt.Complete());
            Assert.Equal(block, spooled.ToArray());
        }

        [Fact]
        public async Task Reset_starts_the_hash_again_from_zero()
        {
            byte[] block = RandomBytes(1000);
            using var receipt = new BlockReceipt(block.Length, 0);
            await receipt.AppendAsync(new MemoryStream(RandomBytes(400)), Stream.Null, null, null, CancellationToken.None);
            receipt.Reset();
            await receipt.AppendAsync(new MemoryStream(block), Stream.Null, null, null, CancellationToken.None);
            Assert.Equal(Convert.ToHexStringLower(MD5.HashData(block)), receipt.Complete().Md5Hex);
        }

        /// <summary>A body that never ends, counting what was taken from it.</summary>
        private sealed class EndlessStream : MemoryStream
        {
            public long Consumed { get; private set; }

            public override int Read(byte[] buffer, int offset, int count)
            {
                Array.Fill(buffer, (byte)0x5A, offset, count);
                Consumed += count;
                return count;
            }
        }
    }
}

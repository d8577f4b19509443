using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Blocks;
using Xunit;
using static WeComExport.Tests.Blocks.BlockTestData;

namespace WeComExport.Tests.Blocks
{
    public class BlockIntegrityTests
    {
        [Fact]
        public async Task Copying_gives_the_bytes_their_size_and_md5_and_reports_progress()
        {
            byte[] block = RandomBytes(3_500_000);
            var destination = new MemoryStream();
            var reports = new List<long>();

            BlockChecksum checksum = await BlockIntegrity.CopyAndHashAsync(new TrickleStream(block, 100_000), destination, reports.Add, CancellationToken.None);

            Assert.Equal(block, destination.ToArray());
            Assert.Equal(block.Length, checksum.Size);
            Assert.Equal(Convert.ToHexStringLower(MD5.HashData(block)), checksum.Md5Hex);
            Assert.True(reports.Count >= 3, $"only {reports.Count} progress reports for 3.5 MB");
            Assert.Equal(block.Length, reports[^1]);
            Assert.Equal(reports, new SortedSet<long>(reports));
        }

        [Fact]
        public async Task The_known_vector_ciphertext_has_the_spec_md5()
        {
            BlockChecksum checksum = await BlockIntegrity.CopyAndHashAsync(
                new MemoryStream(Convert.FromBase64String(VectorCiphertextBase64)), Stream.Null, null, CancellationToken.None);
            Assert.Equal(new BlockChecksum(96, VectorCiphertextMd5), checksum);
        }

        [Fact]
        public void A_correct_block_passes_whatever_the_case_of_the_announced_md5()
        {
            var actual = new BlockChecksum(96, VectorCiphertextMd5);
            BlockIntegrity.Verify(actual, 96, VectorCiphertextMd5, 0);
            BlockIntegrity.Verify(actual, 96, VectorCiphertextMd5.ToUpperInvariant(), 0);
        }

        [Fact]
        public void A_short_block_fails_as_a_size_mismatch()
        {
            var actual = new BlockChecksum(90, "00000000000000000000000000000000");
            var error = Assert.Throws<BlockIntegrityException>(() => BlockIntegrity.Verify(actual, 96, VectorCiphertextMd5, 2));
            Assert.True(error.IsSizeMismatch);
            Assert.Equal(2, error.BlockIndex);
            Assert.Equal(96, error.ExpectedSize);
            Assert.Equal(90, error.ActualSize);
            Assert.Contains("Block 2 has 90 bytes but get_result announced 96", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task One_flipped_byte_fails_as_an_md5_mismatch()
        {
            byte[] block = Convert.FromBase64String(VectorCiphertextBase64);
            block[50] ^= 0x01;
            BlockChecksum actual = await BlockIntegrity.CopyAndHashAsync(new MemoryStream(block), Stream.Null, null, CancellationToken.None);

            var error = Assert.Throws<BlockIntegrityException>(() => BlockIntegrity.Verify(actual, 96, VectorCiphertextMd5, 0));

            Assert.False(error.IsSizeMismatch);
            Assert.Equal(VectorCiphertextMd5, error.ExpectedMd5);
            Assert.Equal(actual.Md5Hex, error.ActualMd5);
            Assert.Contains("MD5", error.Message, StringComparison.Ordinal);
            Assert.Contains("Download the block again", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Copying_stops_when_cancelled()
        {
            using var cancelled = new CancellationTokenSource();
            await cancelled.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => BlockIntegrity.CopyAndHashAsync(new MemoryStream(new byte[10]), Stream.Null, null, cancelled.Token));
        }
    }
}

using System;
using System.IO;

namespace WeComExport.Blocks
{
    /// <summary>
    /// A downloaded block's size or MD5 differs from what get_result announced: the download was cut
    /// short or damaged. Download the block again (its URL is valid for 2 hours). An IOException, as
    /// the fault lies in the transfer, not in the data WeCom prepared.
    /// </summary>
    public class BlockIntegrityException : IOException
    {
        public BlockIntegrityException()
        {
        }

        public BlockIntegrityException(string message)
            : base(message)
        {
        }

        public BlockIntegrityException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        public BlockIntegrityException(int blockIndex, long expectedSize, long actualSize, string expectedMd5, string actualMd5)
            : base(Describe(blockIndex, expectedSize, actualSize, expectedMd5, actualMd5))
        {
            BlockIndex = blockIndex;
            ExpectedSize = expectedSize;
            ActualSize = actualSize;
            ExpectedMd5 = expectedMd5;
            ActualMd5 = actualMd5;
        }

        /// <summary>The block's position in get_result's data_list, from 0.</summary>
        public int BlockIndex { get; }

        public long ExpectedSize { get; }

        public long ActualSize { get; }

        public string? ExpectedMd5 { get; }

        public string? ActualMd5 { get; }

        /// <summary>True when the sizes differ (a short or overlong download); false for an MD5 mismatch at the right size.</summary>
        public bool IsSizeMismatch => ExpectedSize != ActualSize;

        private static string Describe(int blockIndex, long expectedSize, long actualSize, string expectedMd5, string actualMd5) =>
            expectedSize != actualSize
                ? $"Block {blockIndex} has {actualSize} bytes but get_result announced {expectedSize}: the download was cut short or overlong. Download the block again."
                : $"Block {blockIndex} has the announced size ({actualSize} bytes) but its MD5 is {actualMd5}, not the announced {expectedMd5}: the download is damaged. Download the block again.";
    }
}

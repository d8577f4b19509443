using System;
using System.Collections.Generic;
using System.Linq;

namespace WeComExport.Export
{
    /// <summary>One block of a finished export: its download URL, and the size and MD5 of its ciphertext.</summary>
    public sealed class WeComExportBlock
    {
        public WeComExportBlock(int index, long size, string md5, Uri url)
        {
            Index = index;
            Size = size;
            Md5 = md5;
            Url = url;
        }

        public int Index { get; }

        public long Size { get; }

        public string Md5 { get; }

        /// <summary>The download link (valid 2 hours, carries a download credential; not in the default view).</summary>
        public Uri Url { get; }

        public override string ToString() => $"block {Index}: {Size} bytes, md5 {Md5}";
    }

    /// <summary>What get_result said about a job.</summary>
    public sealed class WeComExportResult
    {
        public WeComExportResult(string jobId, ExportStatus status, IReadOnlyList<WeComExportBlock> blocks, DateTimeOffset checkedAt)
        {
            JobId = jobId;
            Status = status;
            Blocks = blocks;
            CheckedAt = checkedAt;
        }

        public string JobId { get; }

        public ExportStatus Status { get; }

        public IReadOnlyList<WeComExportBlock> Blocks { get; }

        public int BlockCount => Blocks.Count;

        /// <summary>Bytes of ciphertext to download.</summary>
        public long TotalSize => Blocks.Sum(b => b.Size);

        public DateTimeOffset CheckedAt { get; }

        public override string ToString() => $"{JobId}: {Status}";

        /// <summary>The first two blocks with the same MD5 (the same data listed twice, under two links), or null.</summary>
        internal (int First, int Second)? RepeatedContent()
        {
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (WeComExportBlock block in Blocks)
            {
                if (seen.TryGetValue(block.Md5, out int first))
                {
                    return (first, block.Index);
                }

                seen.Add(block.Md5, block.Index);
            }

            return null;
        }
    }
}

namespace WeComExport.Export
{
    /// <summary>Where a receive stands: which block, bytes downloaded of all blocks, records written.</summary>
    public sealed class ReceiveProgress
    {
        public ReceiveProgress(string jobId, int blockIndex, int blockCount, long bytesDownloaded, long totalBytes, long records)
        {
            JobId = jobId;
            BlockIndex = blockIndex;
            BlockCount = blockCount;
            BytesDownloaded = bytesDownloaded;
            TotalBytes = totalBytes;
            Records = records;
        }

        public string JobId { get; }

        public int BlockIndex { get; }

        public int BlockCount { get; }

        public long BytesDownloaded { get; }

        public long TotalBytes { get; }

        public long Records { get; }
    }
}

using System;

namespace WeComExport.Export
{
    /// <summary>
    /// A caller's progress callback, called by one thread at a time: a receive reports from the thread that
    /// downloads ahead and from the one that reads records, and callers should not have to care. It never goes
    /// back: the block and the bytes reported are the highest reached so far (the download ahead is already in
    /// block n+1 when block n's reading ends).
    /// </summary>
    internal sealed class SerializedProgress
    {
        private readonly Action<ReceiveProgress>? progress;
        private readonly object gate = new();
        private int highestBlock = -1;
        private long highestBytes;

        public SerializedProgress(Action<ReceiveProgress>? progress) => this.progress = progress;

        public void Invoke(ReceiveProgress report)
        {
            if (progress is null)
            {
                return;
            }

            lock (gate)
            {
                if (report.BlockIndex < highestBlock || report.BytesDownloaded < highestBytes)
                {
                    report = new ReceiveProgress(report.JobId, Math.Max(report.BlockIndex, highestBlock), report.BlockCount, Math.Max(report.BytesDownloaded, highestBytes), report.TotalBytes, report.Records);
                }

                highestBlock = report.BlockIndex;
                highestBytes = report.BytesDownloaded;
                progress(report);
            }
        }
    }
}

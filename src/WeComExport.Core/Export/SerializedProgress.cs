using System;

namespace WeComExport.Export
{
    /// <summary>
    /// A caller's progress callback, called by one thread at a time: a receive reports from the thread that
    /// downloads ahead and from the one that reads records, and callers should not have to care.
    /// </summary>
    internal sealed class SerializedProgress
    {
        private readonly Action<ReceiveProgress>? progress;
        private readonly object gate = new();

        public SerializedProgress(Action<ReceiveProgress>? progress) => this.progress = progress;

        public void Invoke(ReceiveProgress report)
        {
            if (progress is null)
            {
                return;
            }

            lock (gate)
            {
                progress(report);
            }
        }
    }
}

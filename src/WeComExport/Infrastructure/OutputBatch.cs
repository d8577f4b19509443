using System;
using System.Collections.Generic;

namespace WeComExport.Commands
{
    /// <summary>
    /// Collects output on an engine thread and hands it to the pipeline thread in small batches: one queue
    /// hand-off per batch instead of per object. Still streaming: a batch holds at most its size, and
    /// <see cref="Flush"/> sends a partial one (before an error or a progress report, so the order stays).
    /// </summary>
    internal sealed class OutputBatch<T>
    {
        private readonly Action<Action> post;
        private readonly Action<T> write;
        private readonly int size;
        private readonly List<T> items;

        public OutputBatch(Action<Action> post, Action<T> write, int size)
        {
            this.post = post;
            this.write = write;
            this.size = size;
            items = new List<T>(size);
        }

        public void Add(T item)
        {
            items.Add(item);
            if (items.Count == size)
            {
                Flush();
            }
        }

        public void Flush()
        {
            if (items.Count == 0)
            {
                return;
            }

            T[] batch = items.ToArray();
            items.Clear();
            post(() =>
            {
                foreach (T item in batch)
                {
                    write(item);
                }
            });
        }
    }
}

using System;

namespace WeComExport.Internal
{
    /// <summary>
    /// Collects items into arrays of a fixed size and hands each full (or flushed) array on, a new array each time, so
    /// the receiver may keep it: the one way output crosses from an engine thread to the pipeline thread (records of a
    /// receive or an import, changes of a compare), one hand-off per batch instead of per item.
    /// </summary>
    internal sealed class ItemBatch<T>
    {
        private readonly int size;
        private readonly Action<T[]> emit;
        private T[] items;
        private int count;

        public ItemBatch(int size, Action<T[]> emit)
        {
            this.size = size >= 1 ? size : throw new ArgumentOutOfRangeException(nameof(size), size, "A batch holds at least one item.");
            this.emit = emit ?? throw new ArgumentNullException(nameof(emit));
            items = new T[size];
        }

        public void Add(T item)
        {
            items[count++] = item;
            if (count == size)
            {
                Flush();
            }
        }

        /// <summary>Hands on what was collected, if anything: a full array, or a shorter copy of a partial one.</summary>
        public void Flush()
        {
            if (count == 0)
            {
                return;
            }

            T[] batch = items;
            if (count < size)
            {
                Array.Resize(ref batch, count);
                Array.Clear(items, 0, count);
            }
            else
            {
                items = new T[size];
            }

            count = 0;
            emit(batch);
        }
    }
}

using System;
using WeComExport.Records;

namespace WeComExport.Export
{
    /// <summary>Collects records into arrays of a fixed size and hands each full (or flushed) array on; each array is new.</summary>
    internal sealed class RecordBatch
    {
        private readonly int size;
        private readonly Action<WeComRecord[]> emit;
        private WeComRecord[] items;
        private int count;

        public RecordBatch(int size, Action<WeComRecord[]> emit)
        {
            this.size = size;
            this.emit = emit;
            items = new WeComRecord[size];
        }

        public void Add(WeComRecord record)
        {
            items[count++] = record;
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

            WeComRecord[] batch = items;
            if (count < size)
            {
                Array.Resize(ref batch, count);
                Array.Clear(items, 0, count);
            }
            else
            {
                items = new WeComRecord[size];
            }

            count = 0;
            emit(batch);
        }
    }
}

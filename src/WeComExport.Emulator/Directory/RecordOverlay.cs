using System;
using System.Collections.Generic;

namespace WeComExport.Emulator.Directory
{
    /// <summary>
    /// The changes to one kind of record (members, keyed by userid; or departments, keyed by id) over the
    /// synthetic ones: which synthetic records are removed, the patches of edited ones, and the added records
    /// in the order they were added. A record's ref is its synthetic index/id (≥ 0) or <c>~slot</c> when added.
    /// </summary>
    internal sealed class RecordOverlay<TKey>
        where TKey : notnull
    {
        private readonly Func<RecordPatch, TKey> keyOf;
        private readonly HashSet<int> removed;
        private readonly Dictionary<int, RecordPatch> edited;
        private readonly List<RecordPatch?> added;
        private readonly Dictionary<TKey, int> slots;
        private int[] removedSorted = Array.Empty<int>();

        public RecordOverlay(Func<RecordPatch, TKey> keyOf, IEqualityComparer<TKey>? comparer)
        {
            this.keyOf = keyOf;
            removed = new HashSet<int>();
            edited = new Dictionary<int, RecordPatch>();
            added = new List<RecordPatch?>();
            slots = new Dictionary<TKey, int>(comparer);
        }

        private RecordOverlay(RecordOverlay<TKey> copyOf)
        {
            keyOf = copyOf.keyOf;
            removed = new HashSet<int>(copyOf.removed);
            edited = new Dictionary<int, RecordPatch>(copyOf.edited);
            added = new List<RecordPatch?>(copyOf.added);
            slots = new Dictionary<TKey, int>(copyOf.slots, copyOf.slots.Comparer);
        }

        public int RemovedCount => removed.Count;

        public int EditedCount => edited.Count;

        public int AddedCount => slots.Count;

        public int Entries => removed.Count + edited.Count + slots.Count;

        public RecordOverlay<TKey> Copy() => new(this);

        public bool IsRemoved(int record) => removed.Count > 0 && removed.Contains(record);

        public int? FindAdded(TKey key) => slots.TryGetValue(key, out int slot) ? ~slot : null;

        public bool IsAdded(TKey key) => slots.ContainsKey(key);

        public RecordPatch? Patch(int record) =>
            record < 0 ? added[~record] : edited.Count > 0 && edited.TryGetValue(record, out RecordPatch? patch) ? patch : null;

        /// <summary>Refs of the edited synthetic records, then of the added ones (in slot order).</summary>
        public IEnumerable<int> Patched()
        {
            foreach (int record in edited.Keys)
            {
                yield return record;
            }

            foreach (int record in AddedRefs())
            {
                yield return record;
            }
        }

        /// <summary>Refs of the added records in the order they were added.</summary>
        public IEnumerable<int> AddedRefs()
        {
            for (int slot = 0; slot < added.Count; slot++)
            {
                if (added[slot] is not null)
                {
                    yield return ~slot;
                }
            }
        }

        public IEnumerable<TKey> AddedKeys() => slots.Keys;

        public void Remove(int record)
        {
            if (record >= 0)
            {
                removed.Add(record);
                edited.Remove(record);
            }
            else
            {
                slots.Remove(keyOf(added[~record]!));
                added[~record] = null;
            }
        }

        public int Add(RecordPatch record)
        {
            added.Add(record);
            slots[keyOf(record)] = added.Count - 1;
            return ~(added.Count - 1);
        }

        public void SetPatch(int record, RecordPatch patch)
        {
            if (record >= 0)
            {
                edited[record] = patch;
            }
            else
            {
                added[~record] = patch;
            }
        }

        /// <summary>Drops the slots of added records removed since, and sorts the removed ones for <see cref="ItemAt"/>.</summary>
        public void Seal()
        {
            if (added.Contains(null))
            {
                added.RemoveAll(p => p is null);
                slots.Clear();
                for (int slot = 0; slot < added.Count; slot++)
                {
                    slots[keyOf(added[slot]!)] = slot;
                }
            }

            removedSorted = new int[removed.Count];
            removed.CopyTo(removedSorted);
            Array.Sort(removedSorted);
        }

        /// <summary>
        /// Export item → ref when the synthetic records [first, first+count) minus the removed ones come first, then
        /// the added ones. The synthetic record at item k is first + k + j, j being the number of removed records
        /// below it: the smallest j with removedSorted[j] - first - j &gt; k (that expression never decreases).
        /// Only after <see cref="Seal"/>.
        /// </summary>
        public int ItemAt(int item, int first, int count)
        {
            int kept = count - removedSorted.Length;
            if (item >= kept)
            {
                return ~(item - kept);
            }

            int lo = 0;
            int hi = removedSorted.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (removedSorted[mid] - first - mid > item)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            return first + item + lo;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using WeComExport.Api;
using WeComExport.Records;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// Compares two exports of a directory record by record, in memory that grows with the reference's
    /// record count (about 52 bytes of table per record when sized from the manifests, never the records themselves) plus the changes:
    /// <list type="number">
    /// <item><see cref="AddReference"/> for every reference record: keeps a 128-bit hash of its kind and id and
    /// a 128-bit hash of its canonical form (every compared property, see <see cref="RecordFields"/>).</item>
    /// <item><see cref="AddDifference"/> for every difference record, once: an id the reference lacks is
    /// Added at once; an id with another content hash is Changed, and that difference record is kept.</item>
    /// <item><see cref="CompleteDifference"/>, then, when <see cref="Pending"/> is not 0, <see cref="Revisit"/>
    /// with the reference records again (they are not kept): each Changed one comes out with both records
    /// and its <see cref="WeComDirectoryChange.ChangedProperties"/>, each unseen one as Removed. Reading can
    /// stop once <see cref="Pending"/> is 0; <see cref="Complete"/> then checks nothing is missing.</item>
    /// </list>
    /// Ids are per kind (a member "1" and department 1 are different records). <see cref="WeComRecord.CorpId"/>
    /// is not compared. An id that comes twice on one side is reported once through the problem callback and
    /// its first record is the one compared. Asked to compare shared kinds only (the cmdlet does, without -Kind), a
    /// kind only one side holds is not compared (<see cref="OneSidedKinds"/>): an export of departments against a
    /// whole snapshot must not read as every member removed. A side holds a kind when a record of it comes, or when it is declared
    /// (<see cref="DeclareReferenceKind"/>, <see cref="DeclareDifferenceKind"/>: a snapshot's manifest lists an
    /// export of that kind, even an empty one). Not thread-safe: one caller, one pass after another.
    /// </summary>
    public sealed class DirectoryComparer
    {
        /// <summary>
        /// The most entries the table is sized for up front: a manifest's record counts are not covered by any hash,
        /// and one that claims 10^9 records must not allocate gigabytes before the first record is read. Beyond it
        /// the table grows as records come.
        /// </summary>
        private const int MaxPresize = 2_000_000;

        private static readonly WeComList<string> NoProperties = WeComList<string>.Empty;

        private readonly WeComRecordKind? kind;
        private readonly bool sharedKindsOnly;
        private readonly bool includeEqual;
        private readonly Action<WeComException>? problem;
        private readonly RecordHasher hasher = new();
        private readonly Dictionary<RecordHash, Entry> entries;
        private readonly Dictionary<RecordHash, WeComRecord> changed = new();
        private readonly HashSet<RecordHash> reportedDuplicates = new();
        private readonly KindTally referenceKinds = new();
        private readonly KindTally differenceKinds = new();
        private readonly MemberShape referenceMembers = new();
        private readonly MemberShape differenceMembers = new();
        private readonly CorpOfSide referenceCorp = new();
        private readonly CorpOfSide differenceCorp = new();
        private Phase phase = Phase.Reference;
        private long pending;

        /// <summary>
        /// A comparison: of <paramref name="kind"/> only when given (others are ignored on both sides); with an Equal change
        /// for each record that is the same when <paramref name="includeEqual"/>; <paramref name="problem"/> is told of each
        /// id met twice on one side (<see cref="WeComErrors.DuplicateRecord"/>, the comparison goes on); room for
        /// <paramref name="expectedReferenceCount"/> reference records is made at once. With <paramref name="sharedKindsOnly"/>
        /// and no <paramref name="kind"/>, a kind that only one side holds is not compared (<see cref="OneSidedKinds"/>).
        /// </summary>
        public DirectoryComparer(WeComRecordKind? kind = null, bool includeEqual = false, Action<WeComException>? problem = null, int expectedReferenceCount = 0, bool sharedKindsOnly = false)
        {
            this.sharedKindsOnly = sharedKindsOnly && kind is null;
            this.kind = kind;
            this.includeEqual = includeEqual;
            this.problem = problem;
            entries = new Dictionary<RecordHash, Entry>(Math.Min(Math.Max(0, expectedReferenceCount), MaxPresize));
        }

        private enum Phase
        {
            Reference,
            Difference,
            Revisit,
            Done,
        }

        private enum State : byte
        {
            /// <summary>In the reference, not (yet) in the difference.</summary>
            ReferenceOnly,
            Equal,
            Changed,
            Added,

            /// <summary>Changed or Removed, and already returned by <see cref="Revisit"/>.</summary>
            Reported,
        }

        /// <summary>Changed and Removed records that <see cref="Revisit"/> has yet to return (known after <see cref="CompleteDifference"/>).</summary>
        public long Pending => pending;

        /// <summary>
        /// The kinds one side held and the other did not, so not compared, with how many records of them that side
        /// held (known after <see cref="CompleteDifference"/>; always empty unless shared kinds only were asked for).
        /// </summary>
        public IReadOnlyList<OneSidedKind> OneSidedKinds
        {
            get
            {
                var kinds = new List<OneSidedKind>();
                if (!sharedKindsOnly)
                {
                    return kinds;
                }

                foreach (RecordSet set in KindTally.Union(referenceKinds, differenceKinds))
                {
                    if (!Compared(set))
                    {
                        bool inReference = referenceKinds.Holds(set);
                        kinds.Add(new OneSidedKind(set.Kind, set.TagId, inReference, inReference ? referenceKinds.Records(set) : differenceKinds.Records(set)));
                    }
                }

                return kinds;
            }
        }

        /// <summary>
        /// Whether each side's members are member details (true: every one has a status, which only detail exports carry),
        /// plain members (false: none has) or cannot tell (null: no member, or some of each). Sides that disagree show
        /// every detail field as changed.
        /// </summary>
        public (bool? Reference, bool? Difference) MembersAreDetails => (referenceMembers.AreDetails, differenceMembers.AreDetails);

        /// <summary>The corp each side's records say they are of; null when none says (loose block files) or they say several.</summary>
        public (string? Reference, string? Difference) CorpIds => (referenceCorp.CorpId, differenceCorp.CorpId);

        /// <summary>Whether each side's records name more than one corp.</summary>
        public (bool Reference, bool Difference) SeveralCorps => (referenceCorp.Several, differenceCorp.Several);

        /// <summary>
        /// Before pass 1: the reference holds <paramref name="exportKind"/> (of tag <paramref name="tagId"/> for tag members)
        /// even if no record of it comes: its manifest lists the export, or a block file of it is empty.
        /// </summary>
        public void DeclareReferenceKind(WeComRecordKind exportKind, long? tagId = null)
        {
            Expect(Phase.Reference);
            referenceKinds.Declare(RecordSet.Of(exportKind, tagId));
        }

        /// <summary>Before pass 2 ends: the difference holds <paramref name="exportKind"/> (of tag <paramref name="tagId"/>) even if no record of it comes.</summary>
        public void DeclareDifferenceKind(WeComRecordKind exportKind, long? tagId = null)
        {
            if (phase == Phase.Reference)
            {
                phase = Phase.Difference;
            }

            Expect(Phase.Difference);
            differenceKinds.Declare(RecordSet.Of(exportKind, tagId));
        }

        /// <summary>
        /// Compares two record sequences and returns the changes: Added and Equal while the difference is read,
        /// then Changed and Removed in reference order. <paramref name="reference"/> is called twice when there are
        /// Changed or Removed records (and its second reading stops after the last of them): for snapshot files it
        /// reads them again, so they are never all in memory.
        /// </summary>
        public static IEnumerable<WeComDirectoryChange> Compare(Func<IEnumerable<WeComRecord>> reference, IEnumerable<WeComRecord> difference, WeComRecordKind? kind = null, bool includeEqual = false, Action<WeComException>? problem = null)
        {
            if (reference is null)
            {
                throw new ArgumentNullException(nameof(reference));
            }

            if (difference is null)
            {
                throw new ArgumentNullException(nameof(difference));
            }

            return CompareIterator(new DirectoryComparer(kind, includeEqual, problem), reference, difference);
        }

        /// <summary>Pass 1: one reference record.</summary>
        public void AddReference(WeComRecord record)
        {
            Expect(Phase.Reference);
            if (!Selected(record, out WeComRecordKind recordKind))
            {
                return;
            }

            // Before the duplicate check: a second corp's records under the same ids are what makes a side hold two corps.
            referenceCorp.Note(record);
            RecordHash key = hasher.KeyOf(recordKind, RecordIdentity.IdOf(record));
            if (entries.ContainsKey(key))
            {
                ReportDuplicate(key, recordKind, record, "reference");
                return;
            }

            entries.Add(key, new Entry(hasher.ContentOf(recordKind, record), State.ReferenceOnly));
            referenceKinds.Count(RecordSet.Of(recordKind, record));
            referenceMembers.Note(record);
        }

        /// <summary>Pass 2: one difference record; an Added change (or Equal, when asked for) to output now, else null.</summary>
        public WeComDirectoryChange? AddDifference(WeComRecord record)
        {
            if (phase == Phase.Reference)
            {
                phase = Phase.Difference;
            }

            Expect(Phase.Difference);
            if (!Selected(record, out WeComRecordKind recordKind))
            {
                return null;
            }

            RecordSet set = RecordSet.Of(recordKind, record);
            differenceKinds.Count(set);
            differenceMembers.Note(record);
            differenceCorp.Note(record);
            if (sharedKindsOnly && !referenceKinds.Holds(set))
            {
                // A kind (a tag) the reference does not hold at all: not Added, but reported as not compared.
                return null;
            }

            string id = RecordIdentity.IdOf(record);
            RecordHash key = hasher.KeyOf(recordKind, id);
            if (!entries.TryGetValue(key, out Entry entry))
            {
                entries.Add(key, new Entry(default, State.Added));
                return new WeComDirectoryChange(WeComChangeType.Added, recordKind, id, NoProperties, null, record);
            }

            if (entry.State != State.ReferenceOnly)
            {
                ReportDuplicate(key, recordKind, record, "difference");
                return null;
            }

            referenceKinds.Match(set);
            if (hasher.ContentOf(recordKind, record) == entry.Content)
            {
                entries[key] = new Entry(entry.Content, State.Equal);
                return includeEqual ? new WeComDirectoryChange(WeComChangeType.Equal, recordKind, id, NoProperties, null, record) : null;
            }

            entries[key] = new Entry(entry.Content, State.Changed);
            changed.Add(key, record);
            return null;
        }

        /// <summary>Ends pass 2: from now on <see cref="Pending"/> counts the Changed and Removed records to revisit.</summary>
        public void CompleteDifference()
        {
            if (phase == Phase.Reference)
            {
                phase = Phase.Difference;
            }

            Expect(Phase.Difference);
            pending = changed.Count;
            foreach (RecordSet set in referenceKinds.Sets)
            {
                if (Compared(set))
                {
                    pending += referenceKinds.Records(set) - referenceKinds.Matched(set);
                }
            }

            phase = Phase.Revisit;
        }

        /// <summary>Pass 3: one reference record, read again; its Changed or Removed change, else null.</summary>
        public WeComDirectoryChange? Revisit(WeComRecord record)
        {
            Expect(Phase.Revisit);
            if (pending == 0 || !Selected(record, out WeComRecordKind recordKind) || !Compared(RecordSet.Of(recordKind, record)))
            {
                return null;
            }

            string id = RecordIdentity.IdOf(record);
            RecordHash key = hasher.KeyOf(recordKind, id);
            if (!entries.TryGetValue(key, out Entry entry) || entry.State is not (State.ReferenceOnly or State.Changed))
            {
                return null;
            }

            if (hasher.ContentOf(recordKind, record) != entry.Content)
            {
                throw ReferenceChanged($"{recordKind} {id} is not the record it was when the reference was first read");
            }

            entries[key] = new Entry(entry.Content, State.Reported);
            pending--;
            if (entry.State == State.ReferenceOnly)
            {
                return new WeComDirectoryChange(WeComChangeType.Removed, recordKind, id, NoProperties, record, null);
            }

            WeComRecord now = changed[key];
            changed.Remove(key);
            var properties = WeComList<string>.Own(RecordFields.Differences(recordKind, record, now).ToArray());
            return new WeComDirectoryChange(WeComChangeType.Changed, recordKind, id, properties, record, now);
        }

        /// <summary>Ends pass 3: throws when the reference, read again, lacked records it held the first time.</summary>
        public void Complete()
        {
            Expect(Phase.Revisit);
            if (pending > 0)
            {
                throw ReferenceChanged(string.Format(CultureInfo.InvariantCulture, "{0} of its records were not found when it was read again", pending));
            }

            phase = Phase.Done;
        }

        private static IEnumerable<WeComDirectoryChange> CompareIterator(DirectoryComparer comparer, Func<IEnumerable<WeComRecord>> reference, IEnumerable<WeComRecord> difference)
        {
            foreach (WeComRecord record in reference())
            {
                comparer.AddReference(record);
            }

            foreach (WeComRecord record in difference)
            {
                WeComDirectoryChange? change = comparer.AddDifference(record);
                if (change is not null)
                {
                    yield return change;
                }
            }

            comparer.CompleteDifference();
            if (comparer.Pending > 0)
            {
                foreach (WeComRecord record in reference())
                {
                    WeComDirectoryChange? change = comparer.Revisit(record);
                    if (change is not null)
                    {
                        yield return change;
                    }

                    if (comparer.Pending == 0)
                    {
                        break;
                    }
                }
            }

            comparer.Complete();
        }

        private static WeComException ReferenceChanged(string what) =>
            new(WeComErrors.SnapshotFileChanged, $"The reference changed while it was compared: {what}. Its files must not change until the comparison ends.");

        private bool Selected(WeComRecord record, out WeComRecordKind recordKind)
        {
            if (record is null)
            {
                throw new ArgumentNullException(nameof(record));
            }

            recordKind = RecordKinds.Of(record);
            return kind is null || kind == recordKind;
        }

        /// <summary>A kind is compared when it was chosen, or none was; with shared kinds only, when both sides hold it (a tag, for tag members).</summary>
        private bool Compared(RecordSet set) =>
            kind is not null ? kind == set.Kind : !sharedKindsOnly || (referenceKinds.Holds(set) && differenceKinds.Holds(set));

        private void ReportDuplicate(RecordHash key, WeComRecordKind recordKind, WeComRecord record, string side)
        {
            if (reportedDuplicates.Add(key))
            {
                problem?.Invoke(new WeComException(
                    WeComErrors.DuplicateRecord,
                    $"The {side} holds {recordKind} {RecordIdentity.IdOf(record)} more than once; its first record is the one compared."));
            }
        }

        private void Expect(Phase expected)
        {
            if (phase != expected)
            {
                throw new InvalidOperationException($"The comparison is in its {phase} pass; this call belongs to the {expected} pass.");
            }
        }

        /// <summary>How many of one side's members carry a status: all (details), none (plain members) or some.</summary>
        private sealed class MemberShape
        {
            private long members;
            private long withStatus;

            public bool? AreDetails => members == 0 ? null : withStatus == members ? true : withStatus == 0 ? false : null;

            public void Note(WeComRecord record)
            {
                if (record is WeComUser user)
                {
                    members++;
                    withStatus += user.Status is null ? 0 : 1;
                }
            }
        }

        /// <summary>The one corp a side's records name, if they name one.</summary>
        private sealed class CorpOfSide
        {
            private string? first;
            private bool several;

            public string? CorpId => several ? null : first;

            public bool Several => several;

            public void Note(WeComRecord record)
            {
                if (several || string.IsNullOrEmpty(record.CorpId))
                {
                    return;
                }

                if (first is null)
                {
                    first = record.CorpId;
                }
                else if (!string.Equals(first, record.CorpId, StringComparison.Ordinal))
                {
                    several = true;
                }
            }
        }

        /// <summary>What one side may hold or not as a whole: a kind of record, and for tag members one tag.</summary>
        private readonly record struct RecordSet(WeComRecordKind Kind, long? TagId)
        {
            public static RecordSet Of(WeComRecordKind kind, long? tagId) => new(kind, RecordKinds.TagIdOf(kind, tagId));

            public static RecordSet Of(WeComRecordKind kind, WeComRecord record) => Of(kind, (record as WeComTagMember)?.TagId);
        }

        /// <summary>Per record set: whether a side holds it, its records, and (reference) how many the difference matched.</summary>
        private sealed class KindTally
        {
            private readonly Dictionary<RecordSet, Counts> sets = new();

            public IEnumerable<RecordSet> Sets => sets.Keys;

            public static List<RecordSet> Union(KindTally first, KindTally second)
            {
                var all = new List<RecordSet>(first.sets.Keys);
                foreach (RecordSet set in second.sets.Keys)
                {
                    if (!first.sets.ContainsKey(set))
                    {
                        all.Add(set);
                    }
                }

                all.Sort((a, b) => a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind) : Nullable.Compare(a.TagId, b.TagId));
                return all;
            }

            public void Declare(RecordSet set) => CountsOf(set);

            public void Count(RecordSet set) => CountsOf(set).Records++;

            public void Match(RecordSet set) => CountsOf(set).Matched++;

            public bool Holds(RecordSet set) => sets.ContainsKey(set);

            public long Records(RecordSet set) => sets.TryGetValue(set, out Counts? counts) ? counts.Records : 0;

            public long Matched(RecordSet set) => sets.TryGetValue(set, out Counts? counts) ? counts.Matched : 0;

            private Counts CountsOf(RecordSet set)
            {
                if (!sets.TryGetValue(set, out Counts? counts))
                {
                    counts = new Counts();
                    sets.Add(set, counts);
                }

                return counts;
            }

            private sealed class Counts
            {
                public long Records { get; set; }

                public long Matched { get; set; }
            }
        }

        private readonly struct Entry
        {
            public Entry(RecordHash content, State state)
            {
                Content = content;
                State = state;
            }

            public RecordHash Content { get; }

            public State State { get; }
        }
    }

    /// <summary>Hashes of records for <see cref="DirectoryComparer"/>: SipHash-2-4-128 under a key drawn once per process.</summary>
    internal sealed class RecordHasher
    {
        private static readonly byte[] Key = NewKey();
        private static readonly ulong K0 = BitConverter.ToUInt64(Key, 0);
        private static readonly ulong K1 = BitConverter.ToUInt64(Key, 8);

        private readonly CanonicalForm form = new();

        public RecordHash KeyOf(WeComRecordKind kind, string id)
        {
            form.Clear();
            form.Integer((long)kind);
            form.Text(id);
            return SipHash128.Compute(K0, K1, form.Bytes);
        }

        public RecordHash ContentOf(WeComRecordKind kind, WeComRecord record)
        {
            form.Clear();
            RecordFields.Write(form, kind, record);
            return SipHash128.Compute(K0, K1, form.Bytes);
        }

        private static byte[] NewKey()
        {
            var key = new byte[16];
            using var random = RandomNumberGenerator.Create();
            random.GetBytes(key);
            return key;
        }
    }
}

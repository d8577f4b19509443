using WeComExport.Records;

namespace WeComExport.Snapshots
{
    /// <summary>A kind of record (for tag members, one tag's) that only one side of a comparison held, so it was not compared (<see cref="DirectoryComparer.OneSidedKinds"/>).</summary>
    public sealed class OneSidedKind
    {
        public OneSidedKind(WeComRecordKind kind, long? tagId, bool inReference, long records)
        {
            Kind = kind;
            TagId = tagId;
            InReference = inReference;
            Records = records;
        }

        public WeComRecordKind Kind { get; }

        /// <summary>For tag members, the tag: each tag is held or not on its own. Null for other kinds.</summary>
        public long? TagId { get; }

        /// <summary>True when the reference held the kind and the difference did not; false the other way round.</summary>
        public bool InReference { get; }

        /// <summary>How many records of the kind the side that held it had (0 when it only listed an empty export).</summary>
        public long Records { get; }
    }
}

using WeComExport.Records;

namespace WeComExport.Snapshots
{
    /// <summary>How a record differs between the reference and the difference of a comparison.</summary>
    public enum WeComChangeType
    {
        /// <summary>Only in the difference (a new member, department or tag member).</summary>
        Added,

        /// <summary>Only in the reference.</summary>
        Removed,

        /// <summary>In both, with at least one compared property different (see <see cref="WeComDirectoryChange.ChangedProperties"/>).</summary>
        Changed,

        /// <summary>In both, every compared property the same (only with IncludeEqual).</summary>
        Equal,
    }

    /// <summary>
    /// One difference between two exports of a directory (or one record that is the same, when asked for):
    /// which record, how it changed, and the records themselves.
    /// </summary>
    public sealed class WeComDirectoryChange
    {
        internal WeComDirectoryChange(WeComChangeType changeType, WeComRecordKind kind, string id, WeComList<string> changedProperties, WeComRecord? referenceRecord, WeComRecord? differenceRecord)
        {
            ChangeType = changeType;
            Kind = kind;
            Id = id;
            ChangedProperties = changedProperties;
            ReferenceRecord = referenceRecord;
            DifferenceRecord = differenceRecord;
            WeComRecord? current = differenceRecord ?? referenceRecord;
            Name = current is null ? null : RecordIdentity.NameOf(current);
            CorpId = differenceRecord?.CorpId ?? referenceRecord?.CorpId;
        }

        public WeComChangeType ChangeType { get; }

        public WeComRecordKind Kind { get; }

        /// <summary>
        /// The record's id within its kind: a member's userid, a department's id, a tag member's
        /// "&lt;tagid&gt;:user:&lt;userid&gt;" or "&lt;tagid&gt;:department:&lt;department id&gt;".
        /// </summary>
        public string Id { get; }

        /// <summary>The member's or department's name (the difference's, when both sides have the record); null for a tag's department.</summary>
        public string? Name { get; }

        /// <summary>
        /// For <see cref="WeComChangeType.Changed"/>: the names of the record properties that differ (e.g. Position,
        /// Department), and "AdditionalFields.&lt;name&gt;" for each unknown field that differs or is on one side only.
        /// Empty for the other change types. CorpId is never one of them. Prints as "Position;Department".
        /// </summary>
        public WeComList<string> ChangedProperties { get; }

        /// <summary>The record as it is in the reference; null for Added and Equal.</summary>
        public WeComRecord? ReferenceRecord { get; }

        /// <summary>The record as it is in the difference; null for Removed.</summary>
        public WeComRecord? DifferenceRecord { get; }

        /// <summary>The corp of the difference's record, else of the reference's; null when neither side knew it (loose block files).</summary>
        public string? CorpId { get; }

        public override string ToString() =>
            ChangedProperties.Count == 0 ? $"{ChangeType} {Kind} {Id}" : $"{ChangeType} {Kind} {Id} ({ChangedProperties})";
    }
}

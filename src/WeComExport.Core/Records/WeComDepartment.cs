using System.Collections.Generic;

namespace WeComExport.Records
{
    /// <summary>A department from a department export.</summary>
    public sealed class WeComDepartment : WeComRecord
    {
        public WeComDepartment(IReadOnlyDictionary<string, object?>? additionalFields = null)
            : base(additionalFields)
        {
        }

        public long Id { get; internal set; }

        public string? Name { get; internal set; }

        public string? NameEn { get; internal set; }

        /// <summary>The parent department's id; null for the root (or when absent).</summary>
        public long? ParentId { get; internal set; }

        public long? Order { get; internal set; }

        /// <summary>The userids of the department's leaders.</summary>
        public WeComList<string> DepartmentLeader { get; internal set; } = WeComList<string>.Empty;

        public override string ToString() => $"{Id} {Name}";
    }
}

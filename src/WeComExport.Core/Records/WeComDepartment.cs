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

        public long Id { get; init; }

        public string? Name { get; init; }

        public string? NameEn { get; init; }

        /// <summary>The parent department's id; null for the root (or when absent).</summary>
        public long? ParentId { get; init; }

        public long? Order { get; init; }

        /// <summary>The userids of the department's leaders.</summary>
        public WeComList<string> DepartmentLeader { get; init; } = WeComList<string>.Empty;

        public override string ToString() => $"{Id} {Name}";
    }
}

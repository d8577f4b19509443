using System.Collections.Generic;

namespace WeComExport.Records
{
    /// <summary>
    /// One member of a tag: a user from the tag's userlist (UserId, Name) or a department from its
    /// partylist (DepartmentId). A taguser block yields one record per user and one per department.
    /// </summary>
    public sealed class WeComTagMember : WeComRecord
    {
        public WeComTagMember(IReadOnlyDictionary<string, object?>? additionalFields = null)
            : base(additionalFields)
        {
        }

        /// <summary>The tag's id, from the export job (the block does not carry it); 0 when the job did not know it.</summary>
        public long TagId { get; internal set; }

        /// <summary>The block's tagname; null if the block had none before this member (WeCom sends it first).</summary>
        public string? TagName { get; internal set; }

        public WeComTagMemberType MemberType { get; internal set; }

        /// <summary>The member's userid, for <see cref="WeComTagMemberType.User"/>.</summary>
        public string? UserId { get; internal set; }

        /// <summary>The member's name, for <see cref="WeComTagMemberType.User"/>.</summary>
        public string? Name { get; internal set; }

        /// <summary>The department's id, for <see cref="WeComTagMemberType.Department"/>.</summary>
        public long? DepartmentId { get; internal set; }

        public override string ToString() =>
            MemberType == WeComTagMemberType.User ? $"{TagName}: {UserId} ({Name})" : $"{TagName}: department {DepartmentId}";
    }
}

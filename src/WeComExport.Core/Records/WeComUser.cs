using System.Collections.Generic;

namespace WeComExport.Records
{
    /// <summary>
    /// A member from a simple_user or user export. Every field may be absent (newer internal apps no
    /// longer receive avatar, gender, mobile, email, ...): strings are then null and lists empty.
    /// </summary>
    public sealed class WeComUser : WeComRecord
    {
        public WeComUser(IReadOnlyDictionary<string, object?>? additionalFields = null)
            : base(additionalFields)
        {
        }

        public string? UserId { get; init; }

        public string? Name { get; init; }

        /// <summary>The ids of the departments the member belongs to.</summary>
        public WeComList<long> Department { get; init; } = WeComList<long>.Empty;

        /// <summary>The member's order within each department of <see cref="Department"/>, position by position.</summary>
        public WeComList<long> Order { get; init; } = WeComList<long>.Empty;

        public string? Position { get; init; }

        public string? Mobile { get; init; }

        /// <summary>As sent: "0" unknown, "1" male, "2" female.</summary>
        public string? Gender { get; init; }

        public string? Email { get; init; }

        public string? BizMail { get; init; }

        /// <summary>1 where the member leads the department at the same position of <see cref="Department"/>, else 0.</summary>
        public WeComList<int> IsLeaderInDept { get; init; } = WeComList<int>.Empty;

        /// <summary>The userids of the member's direct leaders.</summary>
        public WeComList<string> DirectLeader { get; init; } = WeComList<string>.Empty;

        public string? Avatar { get; init; }

        public string? ThumbAvatar { get; init; }

        public string? Telephone { get; init; }

        public string? Alias { get; init; }

        /// <summary>1 active, 2 disabled, 4 not activated, 5 left.</summary>
        public int? Status { get; init; }

        public string? Address { get; init; }

        public string? EnglishName { get; init; }

        public string? OpenUserId { get; init; }

        public long? MainDepartment { get; init; }

        public WeComExtAttr? ExtAttr { get; init; }

        public string? QrCode { get; init; }

        public string? ExternalPosition { get; init; }

        /// <summary>The external profile as sent (external_corp_name, wechat_channels, external_attr, ...).</summary>
        public IReadOnlyDictionary<string, object?>? ExternalProfile { get; init; }

        public override string ToString() => $"{UserId} ({Name})";
    }
}

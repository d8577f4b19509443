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

        public string? UserId { get; internal set; }

        public string? Name { get; internal set; }

        /// <summary>The ids of the departments the member belongs to.</summary>
        public WeComList<long> Department { get; internal set; } = WeComList<long>.Empty;

        /// <summary>The member's order within each department of <see cref="Department"/>, position by position.</summary>
        public WeComList<long> Order { get; internal set; } = WeComList<long>.Empty;

        public string? Position { get; internal set; }

        public string? Mobile { get; internal set; }

        /// <summary>As sent: "0" unknown, "1" male, "2" female.</summary>
        public string? Gender { get; internal set; }

        public string? Email { get; internal set; }

        public string? BizMail { get; internal set; }

        /// <summary>1 where the member leads the department at the same position of <see cref="Department"/>, else 0.</summary>
        public WeComList<int> IsLeaderInDept { get; internal set; } = WeComList<int>.Empty;

        /// <summary>The userids of the member's direct leaders.</summary>
        public WeComList<string> DirectLeader { get; internal set; } = WeComList<string>.Empty;

        public string? Avatar { get; internal set; }

        public string? ThumbAvatar { get; internal set; }

        public string? Telephone { get; internal set; }

        public string? Alias { get; internal set; }

        /// <summary>1 active, 2 disabled, 4 not activated, 5 left.</summary>
        public int? Status { get; internal set; }

        public string? Address { get; internal set; }

        public string? EnglishName { get; internal set; }

        public string? OpenUserId { get; internal set; }

        public long? MainDepartment { get; internal set; }

        public WeComExtAttr? ExtAttr { get; internal set; }

        public string? QrCode { get; internal set; }

        public string? ExternalPosition { get; internal set; }

        /// <summary>The external profile as sent (external_corp_name, wechat_channels, external_attr, ...).</summary>
        public IReadOnlyDictionary<string, object?>? ExternalProfile { get; internal set; }

        public override string ToString() => $"{UserId} ({Name})";
    }
}

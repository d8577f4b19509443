using System.Text.Json;
using WeComExport.Records;

namespace WeComExport.Blocks
{
    /// <summary>Builds <see cref="WeComTagMember"/> records from a taguser block's userlist items and partylist ids.</summary>
    internal sealed class TagMemberParser
    {
        private const int UserId = 1;
        private const int Name = 2;

        private static readonly string?[] JsonNames = { null, "userid", "name" };

        private readonly FieldNameTable names = new(JsonNames);
        private readonly AdditionalFieldsBuilder additional = new();
        private readonly long tagId;

        public TagMemberParser(long tagId)
        {
            this.tagId = tagId;
        }

        /// <summary>A user from the userlist item whose StartObject the reader is on; false when the window ends first.</summary>
        public bool TryParseUser(ref Utf8JsonReader reader, string? tagName, out WeComTagMember? member)
        {
            member = null;
            additional.Clear();
            string? userId = null, name = null;
            while (true)
            {
                FieldStep step = names.Next(ref reader, out int field, out string? unknownName);
                if (step == FieldStep.NeedMore)
                {
                    return false;
                }

                if (step == FieldStep.End)
                {
                    break;
                }

                bool typed = field switch
                {
                    UserId => JsonFields.TryGetText(ref reader, out userId),
                    Name => JsonFields.TryGetText(ref reader, out name),
                    _ => false,
                };
                if (!typed && !additional.TryKeep(ref reader, unknownName ?? JsonNames[field]!))
                {
                    return false;
                }
            }

            member = new WeComTagMember(additional.Take())
            {
                TagId = tagId,
                TagName = tagName,
                MemberType = WeComTagMemberType.User,
                UserId = userId,
                Name = name,
            };
            return true;
        }

        /// <summary>A department from the partylist id the reader is on; null when it is not a department id.</summary>
        public WeComTagMember? ParseDepartment(ref Utf8JsonReader reader, string? tagName)
        {
            if (!JsonFields.TryGetInt64(ref reader, out long? departmentId) || departmentId is null)
            {
                return null;
            }

            return new WeComTagMember
            {
                TagId = tagId,
                TagName = tagName,
                MemberType = WeComTagMemberType.Department,
                DepartmentId = departmentId,
            };
        }
    }
}

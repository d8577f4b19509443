using System.Text.Json;
using WeComExport.Records;

namespace WeComExport.Blocks
{
    /// <summary>Builds <see cref="WeComTagMember"/> records from a taguser block's userlist items and partylist ids.</summary>
    internal sealed class TagMemberParser
    {
        private readonly RecordParser<WeComTagMember> users;
        private readonly long tagId;

        public TagMemberParser(long tagId, JsonChunkBuffer window)
        {
            this.tagId = tagId;
            users = new RecordParser<WeComTagMember>(RecordTables.TagUser, () => new WeComTagMember { TagId = tagId, MemberType = WeComTagMemberType.User }, new FieldScratch(window));
        }

        /// <summary>A user from the userlist item whose StartObject the reader is on; false when the window ends first.</summary>
        public bool TryParseUser(ref Utf8JsonReader reader, string? tagName, out WeComTagMember? member)
        {
            if (!users.TryParse(ref reader, out member))
            {
                return false;
            }

            member!.TagName = tagName;
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

using System.Linq;
using WeComExport.Export;
using WeComExport.Records;
using Xunit;

namespace WeComExport.Tests.Blocks
{
    /// <summary>How the field table treats a known field that appears twice in one item (JSON allows it; WeCom does not send it).</summary>
    public class RecordTableTests
    {
        [Fact]
        public void A_repeated_field_keeps_the_last_value_of_its_type_and_keeps_a_value_of_another_type_as_an_additional_field()
        {
            var user = (WeComUser)ReaderHarness.Read("{\"userlist\":[{\"userid\":\"a\",\"department\":[1,2],\"department\":\"x\",\"name\":\"甲\",\"name\":\"乙\"}]}", ExportKind.User).Single();

            Assert.Equal(new long[] { 1, 2 }, user.Department);
            Assert.Equal("x", user.AdditionalFields["department"]);
            Assert.Equal("乙", user.Name);
        }

        [Fact]
        public void A_department_id_followed_by_a_mistyped_id_keeps_the_number()
        {
            var department = (WeComDepartment)ReaderHarness.Read("{\"department\":[{\"id\":5,\"id\":true}]}", ExportKind.Department).Single();

            Assert.Equal(5, department.Id);
            Assert.Equal(true, department.AdditionalFields["id"]);
        }

        [Fact]
        public void Tag_members_get_the_tag_from_the_block_and_the_job()
        {
            var members = ReaderHarness.Read("{\"tagname\":\"项目组\",\"userlist\":[{\"userid\":\"u\",\"name\":\"甲\",\"extra\":1}],\"partylist\":[7]}", ExportKind.TagUser, tagId: 9).Cast<WeComTagMember>().ToList();

            Assert.Equal(2, members.Count);
            Assert.All(members, m => Assert.Equal(9, m.TagId));
            Assert.All(members, m => Assert.Equal("项目组", m.TagName));
            Assert.Equal((WeComTagMemberType.User, "u", "甲"), (members[0].MemberType, members[0].UserId, members[0].Name));
            Assert.Equal(1L, members[0].AdditionalFields["extra"]);
            Assert.Equal((WeComTagMemberType.Department, 7L), (members[1].MemberType, members[1].DepartmentId));
        }
    }
}

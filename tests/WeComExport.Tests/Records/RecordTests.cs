using System.Collections.Generic;
using WeComExport.Records;
using Xunit;

namespace WeComExport.Tests.Records
{
    public class RecordTests
    {
        [Fact]
        public void A_new_record_has_empty_lists_and_additional_fields_never_null()
        {
            var user = new WeComUser();
            Assert.Empty(user.AdditionalFields);
            Assert.Empty(user.Department);
            Assert.Empty(user.Order);
            Assert.Empty(user.IsLeaderInDept);
            Assert.Empty(user.DirectLeader);
            Assert.Empty(new WeComDepartment().DepartmentLeader);
            Assert.Empty(new WeComTagMember().AdditionalFields);
            Assert.Empty(new WeComExtAttr().Attrs);
            Assert.Empty(new WeComExtAttrItem().AdditionalFields);
        }

        [Fact]
        public void Records_print_as_their_identity()
        {
            Assert.Equal("zhangsan (张三)", new WeComUser { UserId = "zhangsan", Name = "张三" }.ToString());
            Assert.Equal("2 广州研发中心", new WeComDepartment { Id = 2, Name = "广州研发中心" }.ToString());
            Assert.Equal("t: u (n)", new WeComTagMember { TagName = "t", UserId = "u", Name = "n" }.ToString());
            Assert.Equal("t: department 4", new WeComTagMember { TagName = "t", MemberType = WeComTagMemberType.Department, DepartmentId = 4 }.ToString());
        }

        [Fact]
        public void Custom_attributes_print_as_name_value_pairs()
        {
            var extAttr = new WeComExtAttr
            {
                Attrs = new WeComList<WeComExtAttrItem>(new[]
                {
                    new WeComExtAttrItem { Type = 0, Name = "工号", TextValue = "A01" },
                    new WeComExtAttrItem { Type = 1, Name = "主页", WebUrl = "https://example.com", WebTitle = "首页" },
                }),
            };
            Assert.Equal("工号=A01;主页=https://example.com", extAttr.ToString());
        }

        [Fact]
        public void A_json_object_prints_as_compact_readable_json()
        {
            var inner = new WeComJsonObject(new Dictionary<string, object?> { ["k"] = new object?[] { 1L, 2.5, true, null, "x\"y" } });
            var outer = new WeComJsonObject(new Dictionary<string, object?> { ["名称"] = "企业", ["inner"] = inner });
            Assert.Equal("{\"名称\":\"企业\",\"inner\":{\"k\":[1,2.5,true,null,\"x\\\"y\"]}}", outer.ToString());
            Assert.Equal("企业", outer["名称"]);
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WeComExport.Blocks;
using WeComExport.Export;
using WeComExport.Records;
using Xunit;
using static WeComExport.Tests.Blocks.ReaderHarness;

namespace WeComExport.Tests.Blocks
{
    public class ExportRecordReaderTests
    {
        [Fact]
        public void A_simple_user_block_gives_one_member_per_userlist_item()
        {
            WeComUser user = Assert.IsType<WeComUser>(Assert.Single(Read(BlockTestData.VectorPlaintext, ExportKind.SimpleUser)));
            Assert.Equal("zhangsan", user.UserId);
            Assert.Equal("张三", user.Name);
            Assert.Equal(new long[] { 1, 2 }, user.Department);
            Assert.Equal("xxxxxx", user.OpenUserId);
            Assert.Null(user.Mobile);
            Assert.Null(user.Status);
            Assert.Null(user.ExtAttr);
            Assert.Empty(user.Order);
            Assert.Empty(user.DirectLeader);
            Assert.Empty(user.AdditionalFields);
        }

        [Fact]
        public void A_user_block_fills_every_detail_field()
        {
            List<WeComRecord> records = Read(SampleBlocks.DetailedUsers, ExportKind.User);
            Assert.Equal(2, records.Count);
            var user = Assert.IsType<WeComUser>(records[0]);
            Assert.Equal("zhangsan", user.UserId);
            Assert.Equal("张三", user.Name);
            Assert.Equal(new long[] { 1, 2 }, user.Department);
            Assert.Equal(new long[] { 10, 40 }, user.Order);
            Assert.Equal("后台工程师", user.Position);
            Assert.Equal("13800000000", user.Mobile);
            Assert.Equal("1", user.Gender);
            Assert.Equal("zhangsan@gzdev.com", user.Email);
            Assert.Equal("zhangsan@qyycs2.wecom.work", user.BizMail);
            Assert.Equal(new[] { 1, 0 }, user.IsLeaderInDept);
            Assert.Equal(new[] { "lisi", "wangwu" }, user.DirectLeader);
            Assert.EndsWith("/0", user.Avatar, StringComparison.Ordinal);
            Assert.EndsWith("/100", user.ThumbAvatar, StringComparison.Ordinal);
            Assert.Equal("020-123456", user.Telephone);
            Assert.Equal("jackzhang", user.Alias);
            Assert.Equal(1, user.Status);
            Assert.Equal("广州市海珠区新港中路", user.Address);
            Assert.Equal("jacky", user.EnglishName);
            Assert.Equal("xxxxxx", user.OpenUserId);
            Assert.Equal(1L, user.MainDepartment);
            Assert.StartsWith("https://open.work.weixin.qq.com/", user.QrCode, StringComparison.Ordinal);
            Assert.Equal("产品经理", user.ExternalPosition);
            Assert.Empty(user.AdditionalFields);
            Assert.Equal("zhangsan (张三)", user.ToString());

            var second = Assert.IsType<WeComUser>(records[1]);
            Assert.Equal("lisi", second.UserId);
            Assert.Equal(new long[] { 2 }, second.Department);
            Assert.Equal(5, second.Status);
            Assert.Null(second.ExternalProfile);
        }

        [Fact]
        public void Custom_attributes_keep_text_web_and_mini_program_values()
        {
            var user = (WeComUser)Read(SampleBlocks.DetailedUsers, ExportKind.User)[0];
            WeComExtAttr extAttr = Assert.IsType<WeComExtAttr>(user.ExtAttr);
            Assert.Equal(3, extAttr.Attrs.Count);

            WeComExtAttrItem text = extAttr.Attrs[0];
            Assert.Equal(0, text.Type);
            Assert.Equal("文本名称", text.Name);
            Assert.Equal("文本", text.TextValue);
            Assert.Null(text.WebUrl);
            Assert.Empty(text.AdditionalFields);

            WeComExtAttrItem web = extAttr.Attrs[1];
            Assert.Equal(1, web.Type);
            Assert.Equal("http://www.test.com", web.WebUrl);
            Assert.Equal("标题", web.WebTitle);

            WeComExtAttrItem program = extAttr.Attrs[2];
            Assert.Equal(2, program.Type);
            var miniProgram = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(program.AdditionalFields["miniprogram"]);
            Assert.Equal("wx8bd80126147dFAKE", miniProgram["appid"]);

            Assert.Equal("文本名称=文本;网页名称=http://www.test.com;测试app=my miniprogram", extAttr.ToString());
        }

        [Fact]
        public void The_external_profile_is_kept_as_nested_plain_values()
        {
            var user = (WeComUser)Read(SampleBlocks.DetailedUsers, ExportKind.User)[0];
            IReadOnlyDictionary<string, object?> profile = user.ExternalProfile!;
            Assert.Equal("企业简称", profile["external_corp_name"]);
            var channels = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(profile["wechat_channels"]);
            Assert.Equal(1L, channels["status"]);
            var attrs = Assert.IsType<object?[]>(profile["external_attr"]);
            var first = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(attrs[0]);
            Assert.Equal("文本名称", first["name"]);
            Assert.StartsWith("{\"external_corp_name\":\"企业简称\"", profile.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void Unknown_fields_are_kept_as_plain_values_at_every_level()
        {
            const string Json = """
                {"userlist":[{"userid":"a","new_text":"x","new_int":9007199254740993,"new_real":-1.5e3,"new_flag":false,"new_null":null,
                  "new_object":{"inner":{"deep":[1,{"k":"v"}]},"empty":{}},"new_array":[[],["y",true]],
                  "extattr":{"attrs":[{"type":0,"name":"n","text":{"value":"v","lang":"zh"},"color":"red"}],"version":2}}]}
                """;
            var user = (WeComUser)Assert.Single(Read(Json, ExportKind.User));
            IReadOnlyDictionary<string, object?> extra = user.AdditionalFields;

            Assert.Equal(7, extra.Count);
            Assert.Equal("x", extra["new_text"]);
            Assert.Equal(9007199254740993L, extra["new_int"]);
            Assert.Equal(-1500.0, extra["new_real"]);
            Assert.Equal(false, extra["new_flag"]);
            Assert.True(extra.ContainsKey("new_null"));
            Assert.Null(extra["new_null"]);
            var inner = (IReadOnlyDictionary<string, object?>)((IReadOnlyDictionary<string, object?>)extra["new_object"]!)["inner"]!;
            var deep = (object?[])inner["deep"]!;
            Assert.Equal(1L, deep[0]);
            Assert.Equal("v", ((IReadOnlyDictionary<string, object?>)deep[1]!)["k"]);
            Assert.Empty((IReadOnlyDictionary<string, object?>)((IReadOnlyDictionary<string, object?>)extra["new_object"]!)["empty"]!);
            var array = (object?[])extra["new_array"]!;
            Assert.Empty((object?[])array[0]!);
            Assert.Equal(new object?[] { "y", true }, (object?[])array[1]!);

            WeComExtAttrItem item = user.ExtAttr!.Attrs[0];
            Assert.Equal("v", item.TextValue);
            Assert.Equal("zh", item.AdditionalFields["text.lang"]);
            Assert.Equal("red", item.AdditionalFields["color"]);
            Assert.Equal(2L, user.ExtAttr.AdditionalFields["version"]);
        }

        [Fact]
        public void A_known_field_of_an_unexpected_type_is_kept_rather_than_lost()
        {
            const string Json = """
                {"userlist":[{"userid":42,"department":["1","2"],"order":"10","status":"active","main_department":1.5,
                  "direct_leader":[{"userid":"x"}],"is_leader_in_dept":[1,99999999999],"extattr":[],"gender":1}]}
                """;
            var user = (WeComUser)Assert.Single(Read(Json, ExportKind.User));

            Assert.Equal("42", user.UserId);
            Assert.Equal("1", user.Gender);
            Assert.Equal(new long[] { 1, 2 }, user.Department);
            Assert.Empty(user.Order);
            Assert.Equal("10", user.AdditionalFields["order"]);
            Assert.Null(user.Status);
            Assert.Equal("active", user.AdditionalFields["status"]);
            Assert.Null(user.MainDepartment);
            Assert.Equal(1.5, user.AdditionalFields["main_department"]);
            Assert.Empty(user.DirectLeader);
            Assert.IsType<object?[]>(user.AdditionalFields["direct_leader"]);
            Assert.Empty(user.IsLeaderInDept);
            Assert.Equal(new object?[] { 1L, 99999999999L }, (object?[])user.AdditionalFields["is_leader_in_dept"]!);
            Assert.Null(user.ExtAttr);
            Assert.Empty((object?[])user.AdditionalFields["extattr"]!);
        }

        [Fact]
        public void Null_values_read_as_absent()
        {
            var user = (WeComUser)Assert.Single(Read("""{"userlist":[{"userid":null,"department":null,"status":null,"extattr":null,"external_profile":null}]}""", ExportKind.User));
            Assert.Null(user.UserId);
            Assert.Empty(user.Department);
            Assert.Null(user.Status);
            Assert.Null(user.ExtAttr);
            Assert.Null(user.ExternalProfile);
            Assert.Empty(user.AdditionalFields);
        }

        [Fact]
        public void A_department_block_gives_departments_with_their_leaders()
        {
            List<WeComRecord> records = Read(SampleBlocks.Departments, ExportKind.Department);
            var root = Assert.IsType<WeComDepartment>(records[0]);
            Assert.Equal(1, root.Id);
            Assert.Equal("广州研发中心", root.Name);
            Assert.Equal("RDGZ", root.NameEn);
            Assert.Equal(0L, root.ParentId);
            Assert.Equal(100000000L, root.Order);
            Assert.Equal(new[] { "zhangsan", "lisi" }, root.DepartmentLeader);
            Assert.Equal("zhangsan;lisi", root.DepartmentLeader.ToString());
            Assert.Equal("1 广州研发中心", root.ToString());

            var child = Assert.IsType<WeComDepartment>(records[1]);
            Assert.Null(child.NameEn);
            Assert.Empty(child.DepartmentLeader);
            var future = (IReadOnlyDictionary<string, object?>)child.AdditionalFields["future_field"]!;
            Assert.Equal(new object?[] { 1L, 2.5, "x", null, true }, (object?[])future["a"]!);
        }

        [Fact]
        public void A_taguser_block_gives_one_member_per_user_and_per_department()
        {
            List<WeComTagMember> members = Read(SampleBlocks.TagMembers, ExportKind.TagUser, tagId: 7).Cast<WeComTagMember>().ToList();

            Assert.Equal(4, members.Count);
            Assert.All(members, m => Assert.Equal(7, m.TagId));
            Assert.All(members, m => Assert.Equal("乒乓球协会", m.TagName));
            Assert.Equal(WeComTagMemberType.User, members[0].MemberType);
            Assert.Equal("zhangsan", members[0].UserId);
            Assert.Equal("李四", members[0].Name);
            Assert.Null(members[0].DepartmentId);
            Assert.Equal(1L, members[1].AdditionalFields["extra"]);
            Assert.Equal(WeComTagMemberType.Department, members[2].MemberType);
            Assert.Equal(2L, members[2].DepartmentId);
            Assert.Null(members[2].UserId);
            Assert.Equal(3L, members[3].DepartmentId);
            Assert.Equal("乒乓球协会: zhangsan (李四)", members[0].ToString());
            Assert.Equal("乒乓球协会: department 2", members[2].ToString());
        }

        [Fact]
        public void A_tagname_after_the_lists_reaches_only_the_members_read_after_it()
        {
            // Documented choice: the block is not buffered to look ahead, so members before tagname have none.
            List<WeComTagMember> members = Read("""{"partylist":[5],"tagname":"t","userlist":[{"userid":"u"}]}""", ExportKind.TagUser)
                .Cast<WeComTagMember>().ToList();
            Assert.Null(members[0].TagName);
            Assert.Equal("t", members[1].TagName);
            Assert.All(members, m => Assert.Equal(0, m.TagId));
        }

        [Theory]
        [InlineData("""{"userlist":[]}""", ExportKind.User)]
        [InlineData("""{"department":[]}""", ExportKind.Department)]
        [InlineData("""{"tagname":"t","userlist":[],"partylist":[]}""", ExportKind.TagUser)]
        [InlineData(" \r\n\t{\"userlist\":[]}\n\n", ExportKind.User)]
        public void Empty_lists_give_no_records(string json, ExportKind kind)
        {
            Assert.Empty(Read(json, kind));
        }

        [Fact]
        public void Unknown_root_fields_are_skipped_wherever_they_are()
        {
            const string Json = """{"errcode":0,"meta":{"a":[{"b":[]}]},"userlist":[{"userid":"a"}],"more":[1,[2,[3]]],"x":"y"}""";
            Assert.Equal("a", ((WeComUser)Assert.Single(Read(Json, ExportKind.User))).UserId);
        }

        [Fact]
        public void A_byte_order_mark_is_ignored()
        {
            byte[] json = [0xEF, 0xBB, 0xBF, .. BlockTestData.Utf8(BlockTestData.VectorPlaintext)];
            Assert.Single(ExportRecordReader.Read(new MemoryStream(json), ExportKind.SimpleUser, null, CancellationToken.None));
        }

        [Fact]
        public void Reading_is_lazy_and_checks_for_cancellation_before_each_record()
        {
            using var cancellation = new CancellationTokenSource();
            IEnumerable<WeComRecord> records = ExportRecordReader.Read(new MemoryStream(BlockTestData.Utf8(SampleBlocks.DetailedUsers)), ExportKind.User, null, cancellation.Token);
            using IEnumerator<WeComRecord> walk = records.GetEnumerator();
            Assert.True(walk.MoveNext());
            cancellation.Cancel();
            Assert.Throws<OperationCanceledException>(() => walk.MoveNext());
        }

        [Fact]
        public void Arguments_are_checked_when_called_not_when_enumerated()
        {
            Assert.Throws<ArgumentNullException>(() => ExportRecordReader.Read(null!, ExportKind.User, null, CancellationToken.None));
            Assert.Throws<ArgumentOutOfRangeException>(() => ExportRecordReader.Read(Stream.Null, (ExportKind)42, null, CancellationToken.None));
        }
    }
}

namespace WeComExport.Tests.Blocks
{
    /// <summary>Block plaintexts in the spec's shapes (§4), with every detail field and some WeCom has not defined.</summary>
    internal static class SampleBlocks
    {
        public const string DetailedUsers = """
            {"userlist":[
              {"userid":"zhangsan","name":"张三","department":[1,2],"order":[10,40],"position":"后台工程师",
               "mobile":"13800000000","gender":"1","email":"zhangsan@gzdev.com","biz_mail":"zhangsan@qyycs2.wecom.work",
               "is_leader_in_dept":[1,0],"direct_leader":["lisi","wangwu"],
               "avatar":"http://wx.qlogo.cn/mmopen/ajNVdqHZLLA3WJ6DSZUfiakYe37PKnQhBIeOQBO4czqrnZDS79FH5Wm5m4X69TBicnHFlhiafvDwklOpZeXYQQ2icg/0",
               "thumb_avatar":"http://wx.qlogo.cn/mmopen/ajNVdqHZLLA3WJ6DSZUfiakYe37PKnQhBIeOQBO4czqrnZDS79FH5Wm5m4X69TBicnHFlhiafvDwklOpZeXYQQ2icg/100",
               "telephone":"020-123456","alias":"jackzhang","status":1,"address":"广州市海珠区新港中路","english_name":"jacky",
               "open_userid":"xxxxxx","main_department":1,
               "extattr":{"attrs":[
                 {"type":0,"name":"文本名称","text":{"value":"文本"}},
                 {"type":1,"name":"网页名称","web":{"url":"http://www.test.com","title":"标题"}},
                 {"type":2,"name":"测试app","miniprogram":{"appid":"wx8bd80126147dFAKE","pagepath":"/index","title":"my miniprogram"}}]},
               "qr_code":"https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=xxx","external_position":"产品经理",
               "external_profile":{"external_corp_name":"企业简称","wechat_channels":{"nickname":"视频号名称","status":1},
                 "external_attr":[{"type":0,"name":"文本名称","text":{"value":"文本"}}]}},
              {"userid":"lisi","name":"李四","department":[2],"status":5}
            ]}
            """;

        public const string Departments = """
            {"department":[
              {"id":1,"name":"广州研发中心","name_en":"RDGZ","parentid":0,"order":100000000,"department_leader":["zhangsan","lisi"]},
              {"id":2,"name":"深圳分部","parentid":1,"order":10,"future_field":{"a":[1,2.5,"x",null,true]}}
            ]}
            """;

        public const string TagMembers = """
            {"tagname":"乒乓球协会","userlist":[{"userid":"zhangsan","name":"李四"},{"userid":"wangwu","name":"王五","extra":1}],"partylist":[2,3]}
            """;
    }
}

using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace WeComExport.Bench
{
    /// <summary>Writes a user export block in the shape of the spec (§4): every detail field, realistic lengths.</summary>
    internal static class MemberBlockWriter
    {
        private static readonly string[] Surnames = { "张", "李", "王", "赵", "陈", "刘", "杨", "黄", "周", "吴" };
        private static readonly string[] GivenNames = { "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "艳" };
        private static readonly string[] Positions = { "后台工程师", "产品经理", "测试工程师", "销售代表", "Designer", "HR BP" };

        public static void Write(Stream destination, int members)
        {
            // WeCom sends Chinese as raw UTF-8, not \u escapes; relaxed escaping matches that.
            using var json = new Utf8JsonWriter(destination, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            json.WriteStartObject();
            json.WriteStartArray("userlist");
            for (int i = 0; i < members; i++)
            {
                WriteMember(json, i);
                if (json.BytesPending > 1 << 16)
                {
                    json.Flush();
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        private static void WriteMember(Utf8JsonWriter json, int i)
        {
            string userId = "user" + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
            json.WriteStartObject();
            json.WriteString("userid", userId);
            json.WriteString("name", Surnames[i % Surnames.Length] + GivenNames[i % GivenNames.Length]);
            json.WriteStartArray("department");
            json.WriteNumberValue(1);
            json.WriteNumberValue(2 + (i % 500));
            json.WriteEndArray();
            json.WriteStartArray("order");
            json.WriteNumberValue(0);
            json.WriteNumberValue(i);
            json.WriteEndArray();
            json.WriteString("position", Positions[i % Positions.Length]);
            json.WriteString("mobile", "138" + (i % 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("gender", ((i % 2) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("email", userId + "@example.com");
            json.WriteString("biz_mail", userId + "@corp.wecom.work");
            json.WriteStartArray("is_leader_in_dept");
            json.WriteNumberValue(0);
            json.WriteNumberValue(i % 50 == 0 ? 1 : 0);
            json.WriteEndArray();
            json.WriteStartArray("direct_leader");
            json.WriteStringValue("user" + (i / 50 * 50).ToString("D7", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndArray();
            json.WriteString("avatar", "http://wx.qlogo.cn/mmopen/ajNVdqHZLLA3WJ6DSZUfiakYe37PKnQhBIeOQBO4czqrnZDS79FH5Wm5m4X69TBicnHFlhiafvDwklOpZeXYQQ2icg/0");
            json.WriteString("thumb_avatar", "http://wx.qlogo.cn/mmopen/ajNVdqHZLLA3WJ6DSZUfiakYe37PKnQhBIeOQBO4czqrnZDS79FH5Wm5m4X69TBicnHFlhiafvDwklOpZeXYQQ2icg/100");
            json.WriteString("telephone", "020-" + (i % 10_000_000).ToString("D7", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("alias", "alias" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteNumber("status", 1);
            json.WriteString("address", "广州市海珠区新港中路" + (i % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture) + "号");
            json.WriteString("english_name", "member " + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("open_userid", "woAJ2GCAAAXtWyujaWJHDDGi0mAC" + i.ToString("X8", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteNumber("main_department", 2 + (i % 500));
            json.WriteStartObject("extattr");
            json.WriteStartArray("attrs");
            json.WriteStartObject();
            json.WriteNumber("type", 0);
            json.WriteString("name", "工号");
            json.WriteStartObject("text");
            json.WriteString("value", "A" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject();
            json.WriteNumber("type", 1);
            json.WriteString("name", "主页");
            json.WriteStartObject("web");
            json.WriteString("url", "https://example.com/u/" + userId);
            json.WriteString("title", "主页");
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString("qr_code", "https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=vc" + i.ToString("X8", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("external_position", "高级工程师");
            json.WriteStartObject("external_profile");
            json.WriteString("external_corp_name", "企业简称");
            json.WriteStartArray("external_attr");
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }
    }
}

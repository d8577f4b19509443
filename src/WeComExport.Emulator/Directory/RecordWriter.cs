using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace WeComExport.Emulator.Directory
{
    /// <summary>
    /// Writes the directory's records in the JSON shapes of WeCom's user/simplelist, user/list,
    /// department/list and tag/get answers. Written by hand with Utf8JsonWriter, independently of the
    /// engine's record types, so a shared bug cannot hide on both sides.
    /// </summary>
    internal sealed class RecordWriter
    {
        /// <summary>Raw UTF-8 for Chinese, as WeCom sends it; quotes, backslashes, controls and emoji are escaped.</summary>
        public static readonly JsonWriterOptions WriterOptions = new()
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = true,
        };

        private readonly SyntheticDirectory dir;

        public RecordWriter(SyntheticDirectory directory)
        {
            dir = directory;
        }

        public void WriteSimpleUser(Utf8JsonWriter w, int i)
        {
            w.WriteStartObject();
            w.WriteString("userid", dir.UserId(i));
            w.WriteString("name", dir.Name(i));
            WriteIntArray(w, "department", dir.Departments(i));
            w.WriteString("open_userid", dir.OpenUserId(i));
            w.WriteEndObject();
        }

        /// <summary>Every member-detail field; about a quarter of members look as a newer internal app sees them (no avatar, gender, mobile, email, biz_mail, qr_code, address).</summary>
        public void WriteUser(Utf8JsonWriter w, int i)
        {
            ulong h = dir.Hash(i, 3);
            bool restricted = Mix.Pick(h, 100) < 25;
            string userId = dir.UserId(i);
            int[] departments = dir.Departments(i);
            string inv(long v) => v.ToString(CultureInfo.InvariantCulture);

            w.WriteStartObject();
            w.WriteString("userid", userId);
            w.WriteString("name", dir.Name(i));
            WriteIntArray(w, "department", departments);
            w.WriteStartArray("order");
            foreach (int d in departments)
            {
                w.WriteNumberValue((long)Mix.Pick(dir.Hash(i, 4, (ulong)d), 100_000_000));
            }

            w.WriteEndArray();
            w.WriteString("position", i % 53 == 7 ? NamePools.Stress : NamePools.Positions[Mix.Pick(h >> 8, NamePools.Positions.Length)]);
            if (!restricted)
            {
                w.WriteString("mobile", "13" + inv(800_000_000L + Mix.Pick(dir.Hash(i, 7), 200_000_000)));
                w.WriteString("gender", inv(Mix.Pick(h >> 16, 3)));
                w.WriteString("email", userId.ToLowerInvariant() + "@example-corp.com");
                w.WriteString("biz_mail", userId.ToLowerInvariant() + "@emulated.wecom.work");
            }

            w.WriteStartArray("is_leader_in_dept");
            for (int k = 0; k < departments.Length; k++)
            {
                w.WriteNumberValue(Mix.Pick(h >> (20 + k), 10) == 0 ? 1 : 0);
            }

            w.WriteEndArray();
            w.WriteStartArray("direct_leader");
            if (i > 0)
            {
                w.WriteStringValue(dir.UserId(i / 8));
                if (i > 64 && Mix.Pick(h >> 24, 10) == 0)
                {
                    w.WriteStringValue(dir.UserId(i / 64));
                }
            }

            w.WriteEndArray();
            string avatarId = dir.Hash(i, 8).ToString("x16", CultureInfo.InvariantCulture);
            if (!restricted)
            {
                w.WriteString("avatar", "https://wework.qpic.cn/wwpic/" + avatarId + "/0");
                w.WriteString("thumb_avatar", "https://wework.qpic.cn/wwpic/" + avatarId + "/100");
            }

            w.WriteString("telephone", Mix.Pick(h >> 28, 3) == 0 ? string.Empty : "020-" + inv(80_000_000 + Mix.Pick(h >> 30, 10_000_000)));
            w.WriteString("alias", Mix.Pick(h >> 32, 4) == 0 ? "😀 " + dir.EnglishName(i) : string.Empty);
            w.WriteNumber("status", Mix.Pick(h >> 36, 100) switch { < 90 => 1, < 94 => 2, < 98 => 4, _ => 5 });
            if (!restricted)
            {
                string street = NamePools.Streets[Mix.Pick(h >> 40, NamePools.Streets.Length)] + inv(1 + Mix.Pick(h >> 44, 999)) + "号";
                w.WriteString("address", i % 1009 == 11 ? LongValue(street) : street);
            }

            if (Mix.Pick(h >> 48, 10) < 6)
            {
                w.WriteString("english_name", dir.EnglishName(i));
            }

            w.WriteString("open_userid", dir.OpenUserId(i));
            w.WriteNumber("main_department", departments[0]);
            WriteExtattr(w, i);
            if (!restricted)
            {
                w.WriteString("qr_code", "https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=vc" + avatarId);
            }

            w.WriteString("external_position", Mix.Pick(h >> 52, 3) == 0 ? string.Empty : "高级" + NamePools.Positions[Mix.Pick(h >> 8, NamePools.Positions.Length)]);
            if (Mix.Pick(h >> 56, 2) == 0)
            {
                WriteExternalProfile(w, i);
            }

            w.WriteEndObject();
        }

        public void WriteDepartment(Utf8JsonWriter w, int id)
        {
            ulong h = dir.Hash(id, 21);
            w.WriteStartObject();
            w.WriteNumber("id", id);
            w.WriteString("name", dir.DepartmentName(id));
            string? nameEn = dir.DepartmentNameEn(id);
            if (nameEn is not null)
            {
                w.WriteString("name_en", nameEn);
            }

            if (Mix.Pick(h, 3) != 0)
            {
                w.WriteStartArray("department_leader");
                w.WriteStringValue(dir.UserId(Mix.Pick(h >> 8, dir.MemberCount)));
                w.WriteEndArray();
            }

            w.WriteNumber("parentid", SyntheticDirectory.ParentOf(id));
            w.WriteNumber("order", 100_000_000 - (long)Mix.Pick(h >> 16, 100_000));
            w.WriteEndObject();
        }

        /// <summary>A tag member as tag/get lists it: userid and name only.</summary>
        public void WriteTagUser(Utf8JsonWriter w, int i)
        {
            w.WriteStartObject();
            w.WriteString("userid", dir.UserId(i));
            w.WriteString("name", dir.Name(i));
            w.WriteEndObject();
        }

        private static void WriteIntArray(Utf8JsonWriter w, string name, int[] values)
        {
            w.WriteStartArray(name);
            foreach (int v in values)
            {
                w.WriteNumberValue(v);
            }

            w.WriteEndArray();
        }

        private void WriteExtattr(Utf8JsonWriter w, int i)
        {
            w.WriteStartObject("extattr");
            w.WriteStartArray("attrs");
            if (i % 5 != 4)
            {
                w.WriteStartObject();
                w.WriteNumber("type", 0);
                w.WriteString("name", "工号");
                w.WriteStartObject("text");
                w.WriteString("value", "E" + i.ToString("D7", CultureInfo.InvariantCulture));
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteStartObject();
                w.WriteNumber("type", 1);
                w.WriteString("name", "个人主页");
                w.WriteStartObject("web");
                w.WriteString("url", "https://intranet.example-corp.com/people/" + dir.UserId(i));
                w.WriteString("title", "主页");
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        private static void WriteExternalProfile(Utf8JsonWriter w, int i)
        {
            w.WriteStartObject("external_profile");
            w.WriteString("external_corp_name", "模拟科技");
            w.WriteStartObject("wechat_channels");
            w.WriteString("nickname", "视频号" + (i % 1000).ToString(CultureInfo.InvariantCulture));
            w.WriteNumber("status", 1);
            w.WriteEndObject();
            w.WriteStartArray("external_attr");
            w.WriteStartObject();
            w.WriteNumber("type", 0);
            w.WriteString("name", "文本名称");
            w.WriteStartObject("text");
            w.WriteString("value", "文本");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteNumber("type", 1);
            w.WriteString("name", "网页名称");
            w.WriteStartObject("web");
            w.WriteString("url", "https://www.example-corp.com");
            w.WriteString("title", "标题");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteNumber("type", 2);
            w.WriteString("name", "测试app");
            w.WriteStartObject("miniprogram");
            w.WriteString("appid", "wx8bd80126147dFAKE");
            w.WriteString("pagepath", "/index");
            w.WriteString("title", "my miniprogram");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        /// <summary>A value of about 10 KB, to stress readers that assume short strings.</summary>
        private static string LongValue(string seed) => string.Concat(System.Linq.Enumerable.Repeat(seed + "，很长的地址；", 300));
    }
}

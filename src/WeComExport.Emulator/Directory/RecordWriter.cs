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
            w.WriteString(P.Userid, dir.UserId(i));
            w.WriteString(P.Name, dir.Name(i));
            WriteIntArray(w, P.Department, dir.Departments(i));
            w.WriteString(P.OpenUserid, dir.OpenUserId(i));
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
            w.WriteString(P.Userid, userId);
            w.WriteString(P.Name, dir.Name(i));
            WriteIntArray(w, P.Department, departments);
            w.WriteStartArray(P.Order);
            foreach (int d in departments)
            {
                w.WriteNumberValue((long)Mix.Pick(dir.Hash(i, 4, (ulong)d), 100_000_000));
            }

            w.WriteEndArray();
            w.WriteString(P.Position, i % 53 == 7 ? NamePools.Stress : NamePools.Positions[Mix.Pick(h >> 8, NamePools.Positions.Length)]);
            if (!restricted)
            {
                w.WriteString(P.Mobile, "13" + inv(800_000_000L + Mix.Pick(dir.Hash(i, 7), 200_000_000)));
                w.WriteString(P.Gender, inv(Mix.Pick(h >> 16, 3)));
                w.WriteString(P.Email, userId.ToLowerInvariant() + "@example-corp.com");
                w.WriteString(P.BizMail, userId.ToLowerInvariant() + "@emulated.wecom.work");
            }

            w.WriteStartArray(P.IsLeaderInDept);
            for (int k = 0; k < departments.Length; k++)
            {
                w.WriteNumberValue(Mix.Pick(h >> (20 + k), 10) == 0 ? 1 : 0);
            }

            w.WriteEndArray();
            w.WriteStartArray(P.DirectLeader);
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
                w.WriteString(P.Avatar, "https://wework.qpic.cn/wwpic/" + avatarId + "/0");
                w.WriteString(P.ThumbAvatar, "https://wework.qpic.cn/wwpic/" + avatarId + "/100");
            }

            w.WriteString(P.Telephone, Mix.Pick(h >> 28, 3) == 0 ? string.Empty : "020-" + inv(80_000_000 + Mix.Pick(h >> 30, 10_000_000)));
            w.WriteString(P.Alias, Mix.Pick(h >> 32, 4) == 0 ? "😀 " + dir.EnglishName(i) : string.Empty);
            w.WriteNumber(P.Status, Mix.Pick(h >> 36, 100) switch { < 90 => 1, < 94 => 2, < 98 => 4, _ => 5 });
            if (!restricted)
            {
                string street = NamePools.Streets[Mix.Pick(h >> 40, NamePools.Streets.Length)] + inv(1 + Mix.Pick(h >> 44, 999)) + "号";
                w.WriteString(P.Address, i % 1009 == 11 ? LongValue(street) : street);
            }

            if (Mix.Pick(h >> 48, 10) < 6)
            {
                w.WriteString(P.EnglishName, dir.EnglishName(i));
            }

            w.WriteString(P.OpenUserid, dir.OpenUserId(i));
            w.WriteNumber(P.MainDepartment, departments[0]);
            WriteExtattr(w, i);
            if (!restricted)
            {
                w.WriteString(P.QrCode, "https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=vc" + avatarId);
            }

            w.WriteString(P.ExternalPosition, Mix.Pick(h >> 52, 3) == 0 ? string.Empty : "高级" + NamePools.Positions[Mix.Pick(h >> 8, NamePools.Positions.Length)]);
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
            w.WriteNumber(P.Id, id);
            w.WriteString(P.Name, dir.DepartmentName(id));
            string? nameEn = dir.DepartmentNameEn(id);
            if (nameEn is not null)
            {
                w.WriteString(P.NameEn, nameEn);
            }

            if (Mix.Pick(h, 3) != 0)
            {
                w.WriteStartArray(P.DepartmentLeader);
                w.WriteStringValue(dir.UserId(Mix.Pick(h >> 8, dir.MemberCount)));
                w.WriteEndArray();
            }

            w.WriteNumber(P.Parentid, SyntheticDirectory.ParentOf(id));
            w.WriteNumber(P.Order, 100_000_000 - (long)Mix.Pick(h >> 16, 100_000));
            w.WriteEndObject();
        }

        /// <summary>A tag member as tag/get lists it: userid and name only.</summary>
        public void WriteTagUser(Utf8JsonWriter w, int i)
        {
            w.WriteStartObject();
            w.WriteString(P.Userid, dir.UserId(i));
            w.WriteString(P.Name, dir.Name(i));
            w.WriteEndObject();
        }

        private static void WriteIntArray(Utf8JsonWriter w, JsonEncodedText name, int[] values)
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
            w.WriteStartObject(P.Extattr);
            w.WriteStartArray(P.Attrs);
            if (i % 5 != 4)
            {
                w.WriteStartObject();
                w.WriteNumber(P.Type, 0);
                w.WriteString(P.Name, "工号");
                w.WriteStartObject(P.Text);
                w.WriteString(P.Value, "E" + i.ToString("D7", CultureInfo.InvariantCulture));
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteStartObject();
                w.WriteNumber(P.Type, 1);
                w.WriteString(P.Name, "个人主页");
                w.WriteStartObject(P.Web);
                w.WriteString(P.Url, "https://intranet.example-corp.com/people/" + dir.UserId(i));
                w.WriteString(P.Title, "主页");
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        /// <summary>external_profile is the same for many members: pre-rendered once in 16 variants and copied as raw JSON.</summary>
        private static readonly byte[][] ExternalProfiles = RenderExternalProfiles();

        private static void WriteExternalProfile(Utf8JsonWriter w, int i)
        {
            w.WritePropertyName(P.ExternalProfile);
            w.WriteRawValue(ExternalProfiles[i % ExternalProfiles.Length], skipInputValidation: true);
        }

        private static byte[][] RenderExternalProfiles()
        {
            var profiles = new byte[16][];
            for (int i = 0; i < profiles.Length; i++)
            {
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var w = new Utf8JsonWriter(buffer, WriterOptions))
                {
                    RenderExternalProfile(w, i);
                }

                profiles[i] = buffer.WrittenSpan.ToArray();
            }

            return profiles;
        }

        private static void RenderExternalProfile(Utf8JsonWriter w, int i)
        {
            w.WriteStartObject();
            w.WriteString(P.ExternalCorpName, "模拟科技");
            w.WriteStartObject(P.WechatChannels);
            w.WriteString(P.Nickname, "视频号" + i.ToString(CultureInfo.InvariantCulture));
            w.WriteNumber(P.Status, 1);
            w.WriteEndObject();
            w.WriteStartArray(P.ExternalAttr);
            w.WriteStartObject();
            w.WriteNumber(P.Type, 0);
            w.WriteString(P.Name, "文本名称");
            w.WriteStartObject(P.Text);
            w.WriteString(P.Value, "文本");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteNumber(P.Type, 1);
            w.WriteString(P.Name, "网页名称");
            w.WriteStartObject(P.Web);
            w.WriteString(P.Url, "https://www.example-corp.com");
            w.WriteString(P.Title, "标题");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteNumber(P.Type, 2);
            w.WriteString(P.Name, "测试app");
            w.WriteStartObject(P.Miniprogram);
            w.WriteString(P.Appid, "wx8bd80126147dFAKE");
            w.WriteString(P.Pagepath, "/index");
            w.WriteString(P.Title, "my miniprogram");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        /// <summary>A value of about 10 KB, to stress readers that assume short strings.</summary>
        private static string LongValue(string seed) => string.Concat(System.Linq.Enumerable.Repeat(seed + "，很长的地址；", 300));

        /// <summary>Property names encoded once: the writer then only copies bytes.</summary>
        private static class P
        {
            public static readonly JsonEncodedText Department = JsonEncodedText.Encode("department");
            public static readonly JsonEncodedText Address = JsonEncodedText.Encode("address");
            public static readonly JsonEncodedText Alias = JsonEncodedText.Encode("alias");
            public static readonly JsonEncodedText Appid = JsonEncodedText.Encode("appid");
            public static readonly JsonEncodedText Attrs = JsonEncodedText.Encode("attrs");
            public static readonly JsonEncodedText Avatar = JsonEncodedText.Encode("avatar");
            public static readonly JsonEncodedText BizMail = JsonEncodedText.Encode("biz_mail");
            public static readonly JsonEncodedText DepartmentLeader = JsonEncodedText.Encode("department_leader");
            public static readonly JsonEncodedText DirectLeader = JsonEncodedText.Encode("direct_leader");
            public static readonly JsonEncodedText Email = JsonEncodedText.Encode("email");
            public static readonly JsonEncodedText EnglishName = JsonEncodedText.Encode("english_name");
            public static readonly JsonEncodedText Extattr = JsonEncodedText.Encode("extattr");
            public static readonly JsonEncodedText ExternalAttr = JsonEncodedText.Encode("external_attr");
            public static readonly JsonEncodedText ExternalCorpName = JsonEncodedText.Encode("external_corp_name");
            public static readonly JsonEncodedText ExternalPosition = JsonEncodedText.Encode("external_position");
            public static readonly JsonEncodedText ExternalProfile = JsonEncodedText.Encode("external_profile");
            public static readonly JsonEncodedText Gender = JsonEncodedText.Encode("gender");
            public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
            public static readonly JsonEncodedText IsLeaderInDept = JsonEncodedText.Encode("is_leader_in_dept");
            public static readonly JsonEncodedText MainDepartment = JsonEncodedText.Encode("main_department");
            public static readonly JsonEncodedText Miniprogram = JsonEncodedText.Encode("miniprogram");
            public static readonly JsonEncodedText Mobile = JsonEncodedText.Encode("mobile");
            public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
            public static readonly JsonEncodedText NameEn = JsonEncodedText.Encode("name_en");
            public static readonly JsonEncodedText Nickname = JsonEncodedText.Encode("nickname");
            public static readonly JsonEncodedText OpenUserid = JsonEncodedText.Encode("open_userid");
            public static readonly JsonEncodedText Order = JsonEncodedText.Encode("order");
            public static readonly JsonEncodedText Pagepath = JsonEncodedText.Encode("pagepath");
            public static readonly JsonEncodedText Parentid = JsonEncodedText.Encode("parentid");
            public static readonly JsonEncodedText Position = JsonEncodedText.Encode("position");
            public static readonly JsonEncodedText QrCode = JsonEncodedText.Encode("qr_code");
            public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
            public static readonly JsonEncodedText Telephone = JsonEncodedText.Encode("telephone");
            public static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");
            public static readonly JsonEncodedText ThumbAvatar = JsonEncodedText.Encode("thumb_avatar");
            public static readonly JsonEncodedText Title = JsonEncodedText.Encode("title");
            public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
            public static readonly JsonEncodedText Url = JsonEncodedText.Encode("url");
            public static readonly JsonEncodedText Userid = JsonEncodedText.Encode("userid");
            public static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
            public static readonly JsonEncodedText Web = JsonEncodedText.Encode("web");
            public static readonly JsonEncodedText WechatChannels = JsonEncodedText.Encode("wechat_channels");
        }
    }
}

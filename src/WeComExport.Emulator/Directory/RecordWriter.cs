using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace WeComExport.Emulator.Directory
{
    /// <summary>
    /// Writes the directory's records in the JSON shapes of WeCom's user/simplelist, user/list,
    /// department/list and tag/get answers. Written by hand with Utf8JsonWriter, independently of the
    /// engine's record types, so a shared bug cannot hide on both sides.
    /// Records are addressed by their ref in a <see cref="DirectoryView"/>: an unchanged synthetic record is
    /// written straight from the hashes; an edited or added one is merged from its <see cref="RecordPatch"/>.
    /// </summary>
    internal sealed class RecordWriter
    {
        /// <summary>Raw UTF-8 for Chinese, as WeCom sends it; quotes, backslashes, controls and emoji are escaped.</summary>
        public static readonly JsonWriterOptions WriterOptions = new()
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = true,
        };

        /// <summary>The fields of a member-detail record, in the order they are written.</summary>
        public static readonly IReadOnlyList<string> UserFields = new[]
        {
            "userid", "name", "department", "order", "position", "mobile", "gender", "email", "biz_mail", "is_leader_in_dept",
            "direct_leader", "avatar", "thumb_avatar", "telephone", "alias", "status", "address", "english_name", "open_userid",
            "main_department", "extattr", "qr_code", "external_position", "external_profile",
        };

        /// <summary>The fields of a simple_user record.</summary>
        public static readonly IReadOnlyList<string> SimpleUserFields = new[] { "userid", "name", "department", "open_userid" };

        /// <summary>The fields of a tag's member record.</summary>
        public static readonly IReadOnlyList<string> TagUserFields = new[] { "userid", "name" };

        /// <summary>The fields of a department record, in the order they are written.</summary>
        public static readonly IReadOnlyList<string> DepartmentFields = new[] { "id", "name", "name_en", "department_leader", "parentid", "order" };

        private readonly DirectoryView view;
        private readonly SyntheticDirectory dir;

        public RecordWriter(DirectoryView view)
        {
            this.view = view;
            dir = view.Base;
        }

        public void WriteSimpleUser(Utf8JsonWriter w, int member)
        {
            if (view.MemberPatch(member) is not null)
            {
                WriteSubset(w, EffectiveUser(member), SimpleUserFields);
                return;
            }

            int i = member;
            w.WriteStartObject();
            w.WriteString(P.Userid, dir.UserId(i));
            w.WriteString(P.Name, dir.Name(i));
            WriteIntArray(w, P.Department, dir.Departments(i));
            w.WriteString(P.OpenUserid, dir.OpenUserId(i));
            w.WriteEndObject();
        }

        /// <summary>A member's detail record: synthetic, or merged from its patch.</summary>
        public void WriteUser(Utf8JsonWriter w, int member)
        {
            if (view.MemberPatch(member) is not RecordPatch patch)
            {
                WriteSyntheticUser(w, member);
                return;
            }

            WriteMerged(w, UserFields, patch, member >= 0 ? Render(x => WriteSyntheticUser(x, member)) : null);
        }

        /// <summary>The member's detail record as a JSON object (for edits and ground truth; not for bulk rendering).</summary>
        public JsonElement EffectiveUser(int member) => Render(x => WriteUser(x, member));

        public JsonElement EffectiveDepartment(int department) => Render(x => WriteDepartment(x, department));

        public JsonElement EffectiveTagUser(int member) => Render(x => WriteTagUser(x, member));

        /// <summary>Every member-detail field; about a quarter of members look as a newer internal app sees them (no avatar, gender, mobile, email, biz_mail, qr_code, address).</summary>
        private void WriteSyntheticUser(Utf8JsonWriter w, int i)
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
            // A leader removed from the directory disappears from direct_leader, as in WeCom.
            if (i > 0)
            {
                if (view.BaseUserExists(i / 8))
                {
                    w.WriteStringValue(dir.UserId(i / 8));
                }

                if (dir.HasSecondLeader(i) && view.BaseUserExists(i / 64))
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

        public void WriteDepartment(Utf8JsonWriter w, int department)
        {
            if (view.DepartmentPatch(department) is not RecordPatch patch)
            {
                WriteSyntheticDepartment(w, department);
                return;
            }

            WriteMerged(w, DepartmentFields, patch, department >= 0 ? Render(x => WriteSyntheticDepartment(x, department)) : null);
        }

        private void WriteSyntheticDepartment(Utf8JsonWriter w, int id)
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

            int leader = dir.DepartmentLeader(id);
            if (leader >= 0)
            {
                // A removed leader leaves an empty list.
                w.WriteStartArray(P.DepartmentLeader);
                if (view.BaseUserExists(leader))
                {
                    w.WriteStringValue(dir.UserId(leader));
                }

                w.WriteEndArray();
            }

            w.WriteNumber(P.Parentid, SyntheticDirectory.ParentOf(id));
            w.WriteNumber(P.Order, 100_000_000 - (long)Mix.Pick(h >> 16, 100_000));
            w.WriteEndObject();
        }

        /// <summary>A tag member as tag/get lists it: userid and name only.</summary>
        public void WriteTagUser(Utf8JsonWriter w, int member)
        {
            if (view.MemberPatch(member) is not null)
            {
                WriteSubset(w, EffectiveUser(member), TagUserFields);
                return;
            }

            int i = member;
            w.WriteStartObject();
            w.WriteString(P.Userid, dir.UserId(i));
            w.WriteString(P.Name, dir.Name(i));
            w.WriteEndObject();
        }

        /// <summary>Renders one record into a self-contained JSON element.</summary>
        private static JsonElement Render(Action<Utf8JsonWriter> write)
        {
            var buffer = new ArrayBufferWriter<byte>(1024);
            using (var w = new Utf8JsonWriter(buffer, WriterOptions))
            {
                write(w);
            }

            using JsonDocument doc = JsonDocument.Parse(buffer.WrittenMemory);
            return doc.RootElement.Clone();
        }

        private static void WriteSubset(Utf8JsonWriter w, JsonElement record, IReadOnlyList<string> fields)
        {
            w.WriteStartObject();
            foreach (string name in fields)
            {
                if (record.TryGetProperty(name, out JsonElement value))
                {
                    w.WritePropertyName(name);
                    value.WriteTo(w);
                }
            }

            w.WriteEndObject();
        }

        /// <summary>
        /// A record from its patch laid over its synthetic fields (none for an added record), in the canonical field
        /// order; a null in the patch leaves the field out. Leader lists keep only userids still in the directory.
        /// </summary>
        private void WriteMerged(Utf8JsonWriter w, IReadOnlyList<string> fields, RecordPatch patch, JsonElement? synthetic)
        {
            w.WriteStartObject();
            foreach (string name in fields)
            {
                if (patch.Fields.TryGetValue(name, out JsonElement value))
                {
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        continue;
                    }

                    w.WritePropertyName(name);
                    if (name is "direct_leader" or "department_leader")
                    {
                        w.WriteStartArray();
                        foreach (JsonElement userId in value.EnumerateArray())
                        {
                            if (view.UserExists(userId.GetString()!))
                            {
                                userId.WriteTo(w);
                            }
                        }

                        w.WriteEndArray();
                    }
                    else
                    {
                        value.WriteTo(w);
                    }
                }
                else if (synthetic is JsonElement s && s.TryGetProperty(name, out JsonElement syntheticValue))
                {
                    w.WritePropertyName(name);
                    syntheticValue.WriteTo(w);
                }
            }

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

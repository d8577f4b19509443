using System;
using System.Collections.Generic;
using System.Globalization;
using WeComExport.Records;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// The properties Compare looks at, one table per record type (name → how its value is written into the
    /// canonical form), in declaration order, then <see cref="WeComRecord.AdditionalFields"/> field by field.
    /// <see cref="WeComRecord.CorpId"/> is not compared: it says where a record came from, not what it is. A
    /// property added to a record type must be added here too; a test walks every public property by
    /// reflection and fails for one that is missing.
    /// </summary>
    internal static class RecordFields
    {
        /// <summary>How <see cref="WeComRecord.AdditionalFields"/> entries are named in ChangedProperties.</summary>
        public const string AdditionalFieldsPrefix = "AdditionalFields.";

        private static readonly RecordField[] UserFields =
        {
            Field<WeComUser>("UserId", (f, r) => f.Text(r.UserId)),
            Field<WeComUser>("Name", (f, r) => f.Text(r.Name)),
            Field<WeComUser>("Department", (f, r) => f.Integers(r.Department)),
            Field<WeComUser>("Order", (f, r) => f.Integers(r.Order)),
            Field<WeComUser>("Position", (f, r) => f.Text(r.Position)),
            Field<WeComUser>("Mobile", (f, r) => f.Text(r.Mobile)),
            Field<WeComUser>("Gender", (f, r) => f.Text(r.Gender)),
            Field<WeComUser>("Email", (f, r) => f.Text(r.Email)),
            Field<WeComUser>("BizMail", (f, r) => f.Text(r.BizMail)),
            Field<WeComUser>("IsLeaderInDept", (f, r) => f.Integers(r.IsLeaderInDept)),
            Field<WeComUser>("DirectLeader", (f, r) => f.Texts(r.DirectLeader)),
            Field<WeComUser>("Avatar", (f, r) => f.Text(r.Avatar)),
            Field<WeComUser>("ThumbAvatar", (f, r) => f.Text(r.ThumbAvatar)),
            Field<WeComUser>("Telephone", (f, r) => f.Text(r.Telephone)),
            Field<WeComUser>("Alias", (f, r) => f.Text(r.Alias)),
            Field<WeComUser>("Status", (f, r) => f.Integer(r.Status)),
            Field<WeComUser>("Address", (f, r) => f.Text(r.Address)),
            Field<WeComUser>("EnglishName", (f, r) => f.Text(r.EnglishName)),
            Field<WeComUser>("OpenUserId", (f, r) => f.Text(r.OpenUserId)),
            Field<WeComUser>("MainDepartment", (f, r) => f.Integer(r.MainDepartment)),
            Field<WeComUser>("ExtAttr", (f, r) => WriteExtAttr(f, r.ExtAttr)),
            Field<WeComUser>("QrCode", (f, r) => f.Text(r.QrCode)),
            Field<WeComUser>("ExternalPosition", (f, r) => f.Text(r.ExternalPosition)),
            Field<WeComUser>("ExternalProfile", (f, r) => f.Fields(r.ExternalProfile)),
        };

        private static readonly RecordField[] DepartmentFields =
        {
            Field<WeComDepartment>("Id", (f, r) => f.Integer(r.Id)),
            Field<WeComDepartment>("Name", (f, r) => f.Text(r.Name)),
            Field<WeComDepartment>("NameEn", (f, r) => f.Text(r.NameEn)),
            Field<WeComDepartment>("ParentId", (f, r) => f.Integer(r.ParentId)),
            Field<WeComDepartment>("Order", (f, r) => f.Integer(r.Order)),
            Field<WeComDepartment>("DepartmentLeader", (f, r) => f.Texts(r.DepartmentLeader)),
        };

        private static readonly RecordField[] TagMemberFields =
        {
            Field<WeComTagMember>("TagId", (f, r) => f.Integer(r.TagId)),
            Field<WeComTagMember>("TagName", (f, r) => f.Text(r.TagName)),
            Field<WeComTagMember>("MemberType", (f, r) => f.Integer((long)r.MemberType)),
            Field<WeComTagMember>("UserId", (f, r) => f.Text(r.UserId)),
            Field<WeComTagMember>("Name", (f, r) => f.Text(r.Name)),
            Field<WeComTagMember>("DepartmentId", (f, r) => f.Integer(r.DepartmentId)),
        };

        /// <summary>The compared properties of a record type, in the order they are written.</summary>
        public static IReadOnlyList<RecordField> Of(WeComRecordKind kind) => kind switch
        {
            WeComRecordKind.User => UserFields,
            WeComRecordKind.Department => DepartmentFields,
            WeComRecordKind.TagUser => TagMemberFields,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a record kind."),
        };

        /// <summary>Writes every compared value of <paramref name="record"/>: its properties, then its additional fields.</summary>
        public static void Write(CanonicalForm form, WeComRecordKind kind, WeComRecord record)
        {
            foreach (RecordField field in Of(kind))
            {
                field.Write(form, record);
            }

            form.Fields(record.AdditionalFields);
        }

        /// <summary>
        /// The names of the properties whose values differ, in table order, then "AdditionalFields.&lt;name&gt;"
        /// for each additional field that differs or is on one side only (ordinal order of the names).
        /// </summary>
        public static List<string> Differences(WeComRecordKind kind, WeComRecord reference, WeComRecord difference)
        {
            var changed = new List<string>();
            var left = new CanonicalForm();
            var right = new CanonicalForm();
            foreach (RecordField field in Of(kind))
            {
                left.Clear();
                right.Clear();
                field.Write(left, reference);
                field.Write(right, difference);
                if (!left.Bytes.SequenceEqual(right.Bytes))
                {
                    changed.Add(field.Name);
                }
            }

            var names = new SortedSet<string>(StringComparer.Ordinal);
            names.UnionWith(reference.AdditionalFields.Keys);
            names.UnionWith(difference.AdditionalFields.Keys);
            foreach (string name in names)
            {
                bool inLeft = reference.AdditionalFields.TryGetValue(name, out object? leftValue);
                bool inRight = difference.AdditionalFields.TryGetValue(name, out object? rightValue);
                left.Clear();
                right.Clear();
                left.Value(leftValue);
                right.Value(rightValue);
                if (inLeft != inRight || !left.Bytes.SequenceEqual(right.Bytes))
                {
                    changed.Add(AdditionalFieldsPrefix + name);
                }
            }

            return changed;
        }

        /// <summary>
        /// extattr: its attributes in order (each: type, name, text value, web url and title, then its own
        /// additional fields), then extattr's additional fields.
        /// </summary>
        private static void WriteExtAttr(CanonicalForm form, WeComExtAttr? extAttr)
        {
            if (extAttr is null)
            {
                form.Value(null);
                return;
            }

            form.BeginObject(2);
            form.Name("Attrs");
            form.BeginList(extAttr.Attrs.Count);
            foreach (WeComExtAttrItem item in extAttr.Attrs)
            {
                form.BeginObject(6);
                form.Name("Type");
                form.Integer(item.Type);
                form.Name("Name");
                form.Text(item.Name);
                form.Name("TextValue");
                form.Text(item.TextValue);
                form.Name("WebUrl");
                form.Text(item.WebUrl);
                form.Name("WebTitle");
                form.Text(item.WebTitle);
                form.Name("AdditionalFields");
                form.Fields(item.AdditionalFields);
            }

            form.Name("AdditionalFields");
            form.Fields(extAttr.AdditionalFields);
        }

        private static RecordField Field<T>(string name, Action<CanonicalForm, T> write)
            where T : WeComRecord =>
            new(name, (form, record) => write(form, (T)record));
    }

    /// <summary>One compared property: its name (as in ChangedProperties) and how its value is written.</summary>
    internal sealed class RecordField
    {
        public RecordField(string name, Action<CanonicalForm, WeComRecord> write)
        {
            Name = name;
            Write = write;
        }

        public string Name { get; }

        public Action<CanonicalForm, WeComRecord> Write { get; }

        public override string ToString() => Name;
    }

    /// <summary>What identifies a record across two exports, and what names it for a reader.</summary>
    internal static class RecordIdentity
    {
        /// <summary>
        /// The record's id: a member's userid; a department's id; a tag member's "&lt;tagid&gt;:user:&lt;userid&gt;" or
        /// "&lt;tagid&gt;:department:&lt;id&gt;" (a user and a department of one tag never share an id, nor do two tags' members).
        /// A missing userid is the empty text.
        /// </summary>
        public static string IdOf(WeComRecord record) => record switch
        {
            WeComUser user => user.UserId ?? string.Empty,
            WeComDepartment department => department.Id.ToString(CultureInfo.InvariantCulture),
            WeComTagMember { MemberType: WeComTagMemberType.User } member =>
                member.TagId.ToString(CultureInfo.InvariantCulture) + ":user:" + member.UserId,
            WeComTagMember member =>
                member.TagId.ToString(CultureInfo.InvariantCulture) + ":department:" + (member.DepartmentId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty),
            _ => throw new ArgumentException($"Not an export record: {record?.GetType().FullName}.", nameof(record)),
        };

        /// <summary>A member's or department's name; a tag member user's name; null for a tag's department.</summary>
        public static string? NameOf(WeComRecord record) => record switch
        {
            WeComUser user => user.Name,
            WeComDepartment department => department.Name,
            WeComTagMember member => member.Name,
            _ => null,
        };
    }
}

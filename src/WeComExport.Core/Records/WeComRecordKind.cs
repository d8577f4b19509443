using System;
using WeComExport.Export;

namespace WeComExport.Records
{
    /// <summary>
    /// What a record is, whichever export it came from: a member (<see cref="WeComUser"/>, from the member
    /// or the member-detail export), a department (<see cref="WeComDepartment"/>) or a tag member
    /// (<see cref="WeComTagMember"/>). Import and Compare filter on it.
    /// </summary>
    public enum WeComRecordKind
    {
        /// <summary>Members: the simple_user and user exports (one record type for both).</summary>
        User,

        /// <summary>Departments.</summary>
        Department,

        /// <summary>Tag members: the users and departments of a tag.</summary>
        TagUser,
    }

    /// <summary>Maps export kinds and record types to <see cref="WeComRecordKind"/>.</summary>
    internal static class RecordKinds
    {
        public static WeComRecordKind Of(ExportKind kind) => kind switch
        {
            ExportKind.SimpleUser or ExportKind.User => WeComRecordKind.User,
            ExportKind.Department => WeComRecordKind.Department,
            ExportKind.TagUser => WeComRecordKind.TagUser,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an export kind."),
        };

        /// <summary>The tag id that tells records of <paramref name="kind"/> apart: a tag member's (0 when not known, as the parser gives it), none for other kinds.</summary>
        public static long? TagIdOf(WeComRecordKind kind, long? tagId) => kind == WeComRecordKind.TagUser ? tagId ?? 0 : null;

        public static WeComRecordKind Of(WeComRecord record) => record switch
        {
            WeComUser => WeComRecordKind.User,
            WeComDepartment => WeComRecordKind.Department,
            WeComTagMember => WeComRecordKind.TagUser,
            null => throw new ArgumentNullException(nameof(record)),
            _ => throw new ArgumentException($"Not an export record: {record.GetType().FullName}.", nameof(record)),
        };
    }
}

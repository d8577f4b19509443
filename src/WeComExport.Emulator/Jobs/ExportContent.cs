using System;
using System.Globalization;
using System.Text.Json;
using WeComExport.Emulator.Directory;
using WeComExport.Export;

namespace WeComExport.Emulator.Jobs
{
    /// <summary>
    /// What one export holds: an ordered list of items (members, departments, or a tag's members then
    /// departments), each with its ground-truth id, and how a run of items becomes one block document.
    /// It holds the <see cref="DirectoryView"/> it was made with, so a job keeps the directory it started
    /// with whatever changes come later.
    /// </summary>
    internal sealed class ExportContent
    {
        private readonly DirectoryView view;
        private readonly RecordWriter writer;
        private readonly int[] tagMembers;
        private readonly int[] tagParties;

        public ExportContent(SyntheticDirectory directory, ExportKind kind, TagDefinition? tag = null)
            : this(DirectoryView.Pristine(directory), kind, tag)
        {
        }

        /// <param name="directory">The directory the export is of.</param>
        /// <param name="kind">What it exports.</param>
        /// <param name="tag">The tag of a tag export.</param>
        /// <param name="empty">The export holds no record (the empty-job fault): its one block has an empty list.</param>
        public ExportContent(DirectoryView directory, ExportKind kind, TagDefinition? tag = null, bool empty = false)
        {
            view = directory;
            writer = new RecordWriter(directory);
            Kind = kind;
            Tag = tag;
            if (kind == ExportKind.TagUser)
            {
                Tag = tag ?? throw new ArgumentNullException(nameof(tag));
                tagMembers = directory.TagMembers(tag);
                tagParties = directory.TagParties(tag);
            }
            else
            {
                tagMembers = tagParties = Array.Empty<int>();
            }

            Count = empty ? 0 : kind switch
            {
                ExportKind.SimpleUser or ExportKind.User => directory.MemberCount,
                ExportKind.Department => directory.DepartmentCount,
                _ => tagMembers.Length + tagParties.Length,
            };
        }

        public ExportKind Kind { get; }

        public TagDefinition? Tag { get; }

        public int Count { get; }

        /// <summary>The ground-truth id of item <paramref name="item"/> (see docs/emulator.md, "truth").</summary>
        public string IdOf(int item) => Kind switch
        {
            ExportKind.SimpleUser or ExportKind.User => view.UserIdOf(view.MemberAt(item)),
            ExportKind.Department => view.DepartmentIdOf(view.DepartmentAt(item)).ToString(CultureInfo.InvariantCulture),
            _ => item < tagMembers.Length
                ? "user:" + view.UserIdOf(tagMembers[item])
                : "party:" + view.DepartmentIdOf(tagParties[item - tagMembers.Length]).ToString(CultureInfo.InvariantCulture),
        };

        /// <summary>Writes item <paramref name="item"/> as it appears inside a block (a tag's department is a bare number).</summary>
        public void WriteRecord(Utf8JsonWriter w, int item)
        {
            switch (Kind)
            {
                case ExportKind.SimpleUser:
                    writer.WriteSimpleUser(w, view.MemberAt(item));
                    break;
                case ExportKind.User:
                    writer.WriteUser(w, view.MemberAt(item));
                    break;
                case ExportKind.Department:
                    writer.WriteDepartment(w, view.DepartmentAt(item));
                    break;
                default:
                    if (item < tagMembers.Length)
                    {
                        writer.WriteTagUser(w, tagMembers[item]);
                    }
                    else
                    {
                        w.WriteNumberValue(view.DepartmentIdOf(tagParties[item - tagMembers.Length]));
                    }

                    break;
            }
        }

        /// <summary>
        /// The runs of one block's items, each written as the array named <c>Name</c>: a tag's members
        /// and departments go to different arrays. Items [start, start+count) of the export.
        /// </summary>
        public (string Name, int Start, int End)[] Sections(int start, int count)
        {
            int end = start + count;
            switch (Kind)
            {
                case ExportKind.SimpleUser:
                case ExportKind.User:
                    return new[] { ("userlist", start, end) };
                case ExportKind.Department:
                    return new[] { ("department", start, end) };
                default:
                    int split = Math.Clamp(tagMembers.Length, start, end);
                    return new[] { ("userlist", start, split), ("partylist", split, end) };
            }
        }
    }
}

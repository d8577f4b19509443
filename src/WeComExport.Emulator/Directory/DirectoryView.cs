using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace WeComExport.Emulator.Directory
{
    /// <summary>
    /// A corp's directory as exports see it: the synthetic directory with an overlay of run-time changes
    /// (POST /_emulator/directory) — removed members and departments, edited ones (only the fields that
    /// changed) and added ones. Only the changes are stored, so 100 changes to 10^6 members cost 100
    /// entries. A published view never changes: a change builds a new view (<see cref="Draft"/>, then
    /// <see cref="Seal"/>) that the corp swaps in, and a job keeps the view it started with.
    /// </summary>
    /// <remarks>
    /// Records are addressed by a "ref": a member ref is a synthetic member index (0..N-1) or, for an added
    /// member, <c>~slot</c> (negative); a department ref is a synthetic department id (1..D) or <c>~slot</c>.
    /// Refs are valid within one view only. Exports list the synthetic records that remain, in index order,
    /// then the added ones in the order they were added.
    /// </remarks>
    internal sealed class DirectoryView
    {
        private readonly RecordOverlay<string> members;
        private readonly RecordOverlay<int> departments;
        private readonly HashSet<string> touchedMembers;
        private readonly HashSet<int> touchedDepartments;
        private bool isSealed;

        private DirectoryView(SyntheticDirectory directory, DirectoryView? copyOf)
        {
            Base = directory;
            members = copyOf?.members.Copy() ?? new RecordOverlay<string>(p => p.Fields["userid"].GetString()!, StringComparer.Ordinal);
            departments = copyOf?.departments.Copy() ?? new RecordOverlay<int>(p => p.Fields["id"].GetInt32(), null);
            touchedMembers = copyOf is null ? new HashSet<string>(StringComparer.Ordinal) : new HashSet<string>(copyOf.touchedMembers, StringComparer.Ordinal);
            touchedDepartments = copyOf is null ? new HashSet<int>() : new HashSet<int>(copyOf.touchedDepartments);
        }

        public SyntheticDirectory Base { get; }

        public int MemberCount => Base.MemberCount - members.RemovedCount + members.AddedCount;

        public int DepartmentCount => Base.DepartmentCount - departments.RemovedCount + departments.AddedCount;

        /// <summary>Whether the view has no changes at all (the synthetic directory as generated).</summary>
        public bool IsPristine => StoredEntries == 0;

        /// <summary>Entries the overlay holds (removed + edited + added records): what a change costs in memory.</summary>
        public int StoredEntries => members.Entries + departments.Entries;

        /// <summary>Every userid any change since the pristine directory may have affected (for the cumulative ground truth).</summary>
        public IReadOnlyCollection<string> TouchedMembers => touchedMembers;

        /// <summary>Every department id any change since the pristine directory may have affected.</summary>
        public IReadOnlyCollection<int> TouchedDepartments => touchedDepartments;

        public static DirectoryView Pristine(SyntheticDirectory directory) => new DirectoryView(directory, null).Seal();

        /// <summary>A mutable copy of this view, for <see cref="DirectoryEditor"/>; published only after <see cref="Seal"/>.</summary>
        public DirectoryView Draft() => new(Base, this);

        /// <summary>Ends the draft: lookups for exports prepared; the view never changes again.</summary>
        public DirectoryView Seal()
        {
            members.Seal();
            departments.Seal();
            isSealed = true;
            return this;
        }

        /// <summary>Member ref of export item <paramref name="item"/> (0..MemberCount-1).</summary>
        public int MemberAt(int item)
        {
            EnsureSealed();
            return members.ItemAt(item, 0, Base.MemberCount);
        }

        /// <summary>Department ref of export item <paramref name="item"/> (0..DepartmentCount-1).</summary>
        public int DepartmentAt(int item)
        {
            EnsureSealed();
            return departments.ItemAt(item, 1, Base.DepartmentCount);
        }

        public int? FindMember(string userId)
        {
            if (members.FindAdded(userId) is int added)
            {
                return added;
            }

            int i = Base.IndexOfUserId(userId);
            return i >= 0 && !members.IsRemoved(i) ? i : null;
        }

        public bool UserExists(string userId) => FindMember(userId) is not null;

        /// <summary>Whether synthetic member <paramref name="i"/>'s userid is in the directory (not removed, or added again).</summary>
        public bool BaseUserExists(int i) => !members.IsRemoved(i) || members.IsAdded(Base.UserId(i));

        public int? FindDepartment(int id)
        {
            if (departments.FindAdded(id) is int added)
            {
                return added;
            }

            return id >= 1 && id <= Base.DepartmentCount && !departments.IsRemoved(id) ? id : null;
        }

        /// <summary>The edit of a synthetic member, or the whole record of an added one; null for an unedited synthetic member.</summary>
        public RecordPatch? MemberPatch(int member) => members.Patch(member);

        public RecordPatch? DepartmentPatch(int department) => departments.Patch(department);

        public string UserIdOf(int member) => member >= 0 ? Base.UserId(member) : members.Patch(member)!.Fields["userid"].GetString()!;

        public int DepartmentIdOf(int department) => department >= 0 ? department : departments.Patch(department)!.Fields["id"].GetInt32();

        /// <summary>A member's departments as its record shows them.</summary>
        public int[] DepartmentsOf(int member) =>
            MemberPatch(member) is RecordPatch patch && patch.Fields.TryGetValue("department", out JsonElement d)
                ? d.EnumerateArray().Select(e => e.GetInt32()).ToArray()
                : Base.Departments(member);

        /// <summary>A department's parent id as its record shows it (0 for the root).</summary>
        public int ParentOf(int department) =>
            DepartmentPatch(department) is RecordPatch patch && patch.Fields.TryGetValue("parentid", out JsonElement p)
                ? p.GetInt32()
                : SyntheticDirectory.ParentOf(department);

        public bool InTag(TagDefinition tag, int member) =>
            MemberPatch(member)?.Tags is int[] tags ? Array.IndexOf(tags, tag.Id) >= 0 : member >= 0 && Base.IsTagMember(tag, member);

        public bool DepartmentInTag(TagDefinition tag, int department) =>
            DepartmentPatch(department)?.Tags is int[] tags ? Array.IndexOf(tags, tag.Id) >= 0 : department >= 0 && Base.IsTagParty(tag, department);

        /// <summary>The tag's member refs: synthetic members in index order, then added ones (4 bytes each: fine at 10^6).</summary>
        public int[] TagMembers(TagDefinition tag)
        {
            var list = new List<int>();
            bool plain = members.RemovedCount == 0 && members.EditedCount == 0;
            for (int i = 0; i < Base.MemberCount; i++)
            {
                if (plain ? Base.IsTagMember(tag, i) : !members.IsRemoved(i) && InTag(tag, i))
                {
                    list.Add(i);
                }
            }

            list.AddRange(members.AddedRefs().Where(m => InTag(tag, m)));
            return list.ToArray();
        }

        /// <summary>The tag's department refs: synthetic departments by id, then added ones.</summary>
        public int[] TagParties(TagDefinition tag)
        {
            var list = new List<int>();
            for (int d = 1; d <= Base.DepartmentCount; d++)
            {
                if (!departments.IsRemoved(d) && DepartmentInTag(tag, d))
                {
                    list.Add(d);
                }
            }

            list.AddRange(departments.AddedRefs().Where(d => DepartmentInTag(tag, d)));
            return list.ToArray();
        }

        /// <summary>Refs of the edited synthetic members and of the added members.</summary>
        public IEnumerable<int> PatchedMembers() => members.Patched();

        /// <summary>Refs of the edited synthetic departments and of the added departments.</summary>
        public IEnumerable<int> PatchedDepartments() => departments.Patched();

        /// <summary>Whether synthetic member <paramref name="i"/> has been removed (its userid may have been added again).</summary>
        public bool IsBaseMemberRemoved(int i) => members.IsRemoved(i);

        /// <summary>The largest department id in use or ever synthetic: a new department without an id gets the next.</summary>
        public int MaxDepartmentId() => departments.AddedKeys().Append(Base.DepartmentCount).Max();

        // --- Draft only: used by DirectoryEditor before Seal. ---

        public void RemoveMember(int member) => Draft(members).Remove(member);

        public int AddMember(RecordPatch record) => Draft(members).Add(record);

        public void SetMemberPatch(int member, RecordPatch patch) => Draft(members).SetPatch(member, patch);

        public void RemoveDepartment(int department) => Draft(departments).Remove(department);

        public int AddDepartment(RecordPatch record) => Draft(departments).Add(record);

        public void SetDepartmentPatch(int department, RecordPatch patch) => Draft(departments).SetPatch(department, patch);

        public void Touch(IEnumerable<string> userIds, IEnumerable<int> departmentIds)
        {
            Draft(members);
            touchedMembers.UnionWith(userIds);
            touchedDepartments.UnionWith(departmentIds);
        }

        private RecordOverlay<TKey> Draft<TKey>(RecordOverlay<TKey> overlay)
            where TKey : notnull =>
            isSealed ? throw new InvalidOperationException("A published directory view never changes.") : overlay;

        private void EnsureSealed()
        {
            if (!isSealed)
            {
                throw new InvalidOperationException("A draft directory view cannot list items.");
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;

namespace WeComExport.Emulator.Directory
{
    /// <summary>
    /// One corp's deterministic directory: members 0..N-1, departments 1..D in a tree, and a fixed set
    /// of tags. Nothing is stored: every record is computed from (corp seed, index) when asked for, so
    /// a directory of 10^6 members costs no memory until a job writes it out.
    /// </summary>
    internal sealed class SyntheticDirectory
    {
        /// <summary>Children per department: gives a tree about 7 levels deep at 10^6 members.</summary>
        public const int Branching = 5;

        private readonly ulong seed;
        private readonly TagDefinition[] tags;

        public SyntheticDirectory(ulong corpSeed, int members)
        {
            seed = corpSeed;
            MemberCount = members;
            DepartmentCount = Math.Max(3, (members + 14) / 15);
            tags = TagDefinition.Defaults;
        }

        public int MemberCount { get; }

        public int DepartmentCount { get; }

        public IReadOnlyList<TagDefinition> Tags => tags;

        public TagDefinition? FindTag(long tagId)
        {
            foreach (TagDefinition tag in tags)
            {
                if (tag.Id == tagId)
                {
                    return tag;
                }
            }

            return null;
        }

        public static int ParentOf(int departmentId) => departmentId <= 1 ? 0 : ((departmentId - 2) / Branching) + 1;

        public static int DepthOf(int departmentId)
        {
            int depth = 1;
            while (departmentId > 1)
            {
                departmentId = ParentOf(departmentId);
                depth++;
            }

            return depth;
        }

        public string UserId(int i)
        {
            ulong h = Hash(i, 1);
            var surname = NamePools.Surnames[Mix.Pick(h, NamePools.Surnames.Length)];
            var given = NamePools.GivenNames[Mix.Pick(h >> 16, NamePools.GivenNames.Length)];
            return string.Concat(surname.Pinyin, given.Pinyin, i.ToString(CultureInfo.InvariantCulture));
        }

        public string Name(int i)
        {
            ulong h = Hash(i, 1);
            var surname = NamePools.Surnames[Mix.Pick(h, NamePools.Surnames.Length)];
            if (i % 97 == 13)
            {
                return surname.Hanzi + "\"小\\明\" 😀\u0007";
            }

            if (Mix.Pick(h >> 32, 100) < 12)
            {
                return NamePools.EnglishGivenNames[Mix.Pick(h >> 40, NamePools.EnglishGivenNames.Length)] + " " + surname.Pinyin;
            }

            var given = NamePools.GivenNames[Mix.Pick(h >> 16, NamePools.GivenNames.Length)];
            return surname.Hanzi + given.Hanzi;
        }

        public string EnglishName(int i)
        {
            ulong h = Hash(i, 1);
            var surname = NamePools.Surnames[Mix.Pick(h, NamePools.Surnames.Length)];
            return NamePools.EnglishGivenNames[Mix.Pick(h >> 40, NamePools.EnglishGivenNames.Length)] + " " + surname.Pinyin;
        }

        /// <summary>A member's departments: the main one first, sometimes a second.</summary>
        public int[] Departments(int i)
        {
            (int main, int second) = DepartmentPair(i);
            return second != 0 ? new[] { main, second } : new[] { main };
        }

        /// <summary>A member's main department and its second one (0 for none), without allocating.</summary>
        public (int Main, int Second) DepartmentPair(int i)
        {
            ulong h = Hash(i, 2);
            int main = MainDepartment(i);
            int second = 1 + Mix.Pick(h >> 24, DepartmentCount);
            return (main, Mix.Pick(h >> 48, 100) < 15 && second != main ? second : 0);
        }

        /// <summary>
        /// The member index of member <paramref name="userId"/> (its userid ends with its index), or -1 when no member
        /// of this directory has that userid.
        /// </summary>
        public int IndexOfUserId(string userId)
        {
            int end = userId.Length;
            int start = end;
            while (start > 0 && char.IsAsciiDigit(userId[start - 1]))
            {
                start--;
            }

            int digits = end - start;
            if (digits == 0 || digits > 9 || (userId[start] == '0' && digits > 1))
            {
                return -1;
            }

            int i = int.Parse(userId.AsSpan(start), NumberStyles.None, CultureInfo.InvariantCulture);
            return i < MemberCount && string.Equals(UserId(i), userId, StringComparison.Ordinal) ? i : -1;
        }

        /// <summary>Whether member <paramref name="i"/> has a second direct leader, member i/64 (about one in ten beyond 64); the first is i/8.</summary>
        public bool HasSecondLeader(int i) => i > 64 && Mix.Pick(Hash(i, 3) >> 24, 10) == 0;

        /// <summary>The member index of department <paramref name="id"/>'s leader, or -1 when it has none (a third of departments).</summary>
        public int DepartmentLeader(int id)
        {
            ulong h = Hash(id, 21);
            return Mix.Pick(h, 3) != 0 ? Mix.Pick(h >> 8, MemberCount) : -1;
        }

        public int MainDepartment(int i) => 1 + Mix.Pick(Hash(i, 2), DepartmentCount);

        public string OpenUserId(int i) => "wo" + Hash(i, 5).ToString("x16", CultureInfo.InvariantCulture) + Hash(i, 6).ToString("x14", CultureInfo.InvariantCulture)[..14];

        public string DepartmentName(int id)
        {
            if (id == 1)
            {
                return "模拟科技有限公司";
            }

            if (id == 3)
            {
                return "特殊字符部 " + NamePools.Stress;
            }

            ulong h = Hash(id, 20);
            string name = NamePools.DepartmentNames[Mix.Pick(h, NamePools.DepartmentNames.Length)];
            return DepthOf(id) == 2
                ? NamePools.Cities[Mix.Pick(h >> 16, NamePools.Cities.Length)] + name
                : name + id.ToString(CultureInfo.InvariantCulture) + "组";
        }

        public string? DepartmentNameEn(int id)
        {
            if (id == 1)
            {
                return "Emulated Tech Ltd.";
            }

            ulong h = Hash(id, 20);
            return Mix.Pick(h >> 32, 100) < 60
                ? NamePools.DepartmentNamesEn[Mix.Pick(h, NamePools.DepartmentNamesEn.Length)] + " " + id.ToString(CultureInfo.InvariantCulture)
                : null;
        }

        public bool IsTagMember(TagDefinition tag, int i) =>
            tag.MemberPermille > 0 && Mix.Pick(Hash(i, 100 + (ulong)tag.Id), 1000) < tag.MemberPermille;

        public bool IsTagParty(TagDefinition tag, int departmentId) =>
            tag.PartyPercent > 0 && (departmentId == 2 || Mix.Pick(Hash(departmentId, 200 + (ulong)tag.Id), 100) < tag.PartyPercent);

        /// <summary>The tag's member indices, ascending (4 bytes each: fine at 10^6 members).</summary>
        public int[] TagMembers(TagDefinition tag)
        {
            var list = new List<int>();
            for (int i = 0; i < MemberCount; i++)
            {
                if (IsTagMember(tag, i))
                {
                    list.Add(i);
                }
            }

            return list.ToArray();
        }

        /// <summary>The tag's department ids, ascending.</summary>
        public int[] TagParties(TagDefinition tag)
        {
            var list = new List<int>();
            for (int d = 1; d <= DepartmentCount; d++)
            {
                if (IsTagParty(tag, d))
                {
                    list.Add(d);
                }
            }

            return list.ToArray();
        }

        internal ulong Hash(int index, ulong salt) => Mix.Hash(seed, (ulong)index, salt);

        internal ulong Hash(int index, ulong salt, ulong extra) => Mix.Hash(seed, (ulong)index, salt, extra);
    }
}

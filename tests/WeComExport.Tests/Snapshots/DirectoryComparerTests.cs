using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using WeComExport.Api;
using WeComExport.Export;
using WeComExport.Records;
using WeComExport.Snapshots;
using Xunit;

namespace WeComExport.Tests.Snapshots
{
    public class DirectoryComparerTests
    {
        [Fact]
        public void The_same_records_give_no_change_and_with_IncludeEqual_one_Equal_each()
        {
            var records = Users("a", "b", "c");

            Assert.Empty(Compare(records, Users("a", "b", "c")));

            var equal = Compare(records, Users("c", "a", "b"), includeEqual: true);
            Assert.Equal(3, equal.Count);
            Assert.All(equal, c => Assert.Equal(WeComChangeType.Equal, c.ChangeType));
            Assert.All(equal, c => Assert.Empty(c.ChangedProperties));
            Assert.All(equal, c => Assert.NotNull(c.DifferenceRecord));
            Assert.All(equal, c => Assert.Null(c.ReferenceRecord));
            Assert.Equal(new[] { "c", "a", "b" }, equal.Select(c => c.Id));
        }

        [Fact]
        public void Added_Removed_and_Changed_each_once_with_both_records_and_exactly_the_changed_properties()
        {
            var reference = new List<WeComRecord>
            {
                new WeComUser { UserId = "stays", Name = "甲", Position = "工程师" },
                new WeComUser { UserId = "leaves", Name = "乙" },
                new WeComUser { UserId = "moves", Name = "丙", Department = List(1L), Order = List(5L), Position = "工程师" },
                new WeComUser(Fields(("x", 1L), ("gone", "g"))) { UserId = "unknown", Name = "丁" },
            };
            var difference = new List<WeComRecord>
            {
                new WeComUser { UserId = "stays", Name = "甲", Position = "工程师" },
                new WeComUser { UserId = "moves", Name = "丙", Department = List(2L), Order = List(5L), Position = "经理" },
                new WeComUser(Fields(("x", 2L), ("new", true))) { UserId = "unknown", Name = "丁" },
                new WeComUser { UserId = "joins", Name = "戊" },
            };

            var changes = Compare(reference, difference);

            Assert.Equal(4, changes.Count);
            var added = Assert.Single(changes, c => c.ChangeType == WeComChangeType.Added);
            Assert.Equal(("joins", "戊"), (added.Id, added.Name));
            Assert.Null(added.ReferenceRecord);
            Assert.Same(difference[3], added.DifferenceRecord);

            var removed = Assert.Single(changes, c => c.ChangeType == WeComChangeType.Removed);
            Assert.Equal(("leaves", "乙"), (removed.Id, removed.Name));
            Assert.Same(reference[1], removed.ReferenceRecord);
            Assert.Null(removed.DifferenceRecord);

            var moved = Assert.Single(changes, c => c.Id == "moves");
            Assert.Equal(WeComChangeType.Changed, moved.ChangeType);
            Assert.Equal(new[] { "Department", "Position" }, moved.ChangedProperties);
            Assert.Equal("Department;Position", moved.ChangedProperties.ToString());
            Assert.Same(reference[2], moved.ReferenceRecord);
            Assert.Same(difference[1], moved.DifferenceRecord);

            var unknown = Assert.Single(changes, c => c.Id == "unknown");
            Assert.Equal(new[] { "AdditionalFields.gone", "AdditionalFields.new", "AdditionalFields.x" }, unknown.ChangedProperties);

            Assert.All(changes, c => Assert.Equal(WeComRecordKind.User, c.Kind));
            // Added as the difference is read, then Changed and Removed in reference order.
            Assert.Equal(new[] { WeComChangeType.Added, WeComChangeType.Removed, WeComChangeType.Changed, WeComChangeType.Changed }, changes.Select(c => c.ChangeType));
        }

        [Fact]
        public void Department_ids_are_their_number_and_tag_member_ids_name_tag_type_and_member()
        {
            var reference = new List<WeComRecord>
            {
                new WeComDepartment { Id = 2, Name = "一部" },
                new WeComTagMember { TagId = 7, TagName = "t", MemberType = WeComTagMemberType.User, UserId = "zhangsan", Name = "张三" },
                new WeComTagMember { TagId = 7, TagName = "t", MemberType = WeComTagMemberType.Department, DepartmentId = 2 },
                new WeComTagMember { TagId = 8, TagName = "u", MemberType = WeComTagMemberType.User, UserId = "zhangsan", Name = "张三" },
            };
            var difference = new List<WeComRecord>
            {
                new WeComDepartment { Id = 2, Name = "一部", ParentId = 1 },
                new WeComTagMember { TagId = 7, TagName = "t", MemberType = WeComTagMemberType.User, UserId = "zhangsan", Name = "张三" },
                new WeComTagMember { TagId = 7, TagName = "t", MemberType = WeComTagMemberType.Department, DepartmentId = 3 },
            };

            var changes = Compare(reference, difference);

            Assert.Equal(
                new[] { "Added TagUser 7:department:3", "Changed Department 2 (ParentId)", "Removed TagUser 7:department:2", "Removed TagUser 8:user:zhangsan" },
                changes.Select(c => c.ToString()).OrderBy(s => s, StringComparer.Ordinal));
            Assert.Equal("张三", changes.Single(c => c.Id == "8:user:zhangsan").Name);
            Assert.Null(changes.Single(c => c.Id == "7:department:3").Name);
        }

        [Fact]
        public void Ids_are_per_kind_so_a_member_1_and_department_1_are_different_records()
        {
            var changes = Compare(new List<WeComRecord> { new WeComUser { UserId = "1" } }, new List<WeComRecord> { new WeComDepartment { Id = 1 } });
            Assert.Equal(new[] { "Added Department 1", "Removed User 1" }, changes.Select(c => c.ToString()));
        }

        [Fact]
        public void CorpId_is_never_a_change_and_the_change_carries_the_difference_s_corp()
        {
            var a = new WeComUser { UserId = "u", Name = "n" };
            a.CorpId = "wwold";
            var b = new WeComUser { UserId = "u", Name = "n" };
            b.CorpId = "wwnew";

            Assert.Empty(Compare(new List<WeComRecord> { a }, new List<WeComRecord> { b }));
            Assert.Equal("wwnew", Assert.Single(Compare(new List<WeComRecord> { a }, new List<WeComRecord> { b }, includeEqual: true)).CorpId);
            Assert.Equal("wwold", Assert.Single(Compare(new List<WeComRecord> { a }, new List<WeComRecord>())).CorpId);
        }

        [Fact]
        public void With_shared_kinds_only_a_kind_only_the_reference_holds_is_not_removed_but_named()
        {
            var reference = new List<WeComRecord> { new WeComUser { UserId = "u1" }, new WeComUser { UserId = "u2" }, new WeComDepartment { Id = 1, Name = "old" } };
            var difference = new List<WeComRecord> { new WeComDepartment { Id = 1, Name = "new" }, new WeComDepartment { Id = 2 } };

            var (changes, oneSided) = CompareShared(reference, difference);

            Assert.Equal(new[] { "Added Department 2", "Changed Department 1 (Name)" }, changes);
            OneSidedKind user = Assert.Single(oneSided);
            Assert.Equal(WeComRecordKind.User, user.Kind);
            Assert.True(user.InReference);
            Assert.Equal(2, user.Records);
        }

        [Fact]
        public void With_shared_kinds_only_a_kind_only_the_difference_holds_is_not_added_but_named()
        {
            var reference = new List<WeComRecord> { new WeComDepartment { Id = 1 } };
            var difference = new List<WeComRecord> { new WeComDepartment { Id = 1 }, new WeComTagMember { TagId = 7, UserId = "a" } };

            var (changes, oneSided) = CompareShared(reference, difference);

            Assert.Empty(changes);
            OneSidedKind tag = Assert.Single(oneSided);
            Assert.Equal(WeComRecordKind.TagUser, tag.Kind);
            Assert.False(tag.InReference);
            Assert.Equal(1, tag.Records);
        }

        [Fact]
        public void With_shared_kinds_only_a_declared_empty_export_still_counts_so_every_member_can_be_removed()
        {
            var reference = new List<WeComRecord> { new WeComUser { UserId = "u1" }, new WeComDepartment { Id = 1 } };
            var difference = new List<WeComRecord> { new WeComDepartment { Id = 1 } };

            var (changes, oneSided) = CompareShared(reference, difference, declaredInDifference: WeComRecordKind.User);

            Assert.Equal(new[] { "Removed User u1" }, changes);
            Assert.Empty(oneSided);
        }

        [Fact]
        public void With_shared_kinds_only_each_tag_is_held_on_its_own()
        {
            var reference = new List<WeComRecord> { new WeComTagMember { TagId = 1, UserId = "a" }, new WeComTagMember { TagId = 2, UserId = "b" } };
            var difference = new List<WeComRecord> { new WeComTagMember { TagId = 2, UserId = "b" }, new WeComTagMember { TagId = 2, UserId = "c" } };

            var (changes, oneSided) = CompareShared(reference, difference);

            // Tag 1 was not exported on the difference side: its member is not Removed, and the tag is named.
            Assert.Equal(new[] { "Added TagUser 2:user:c" }, changes);
            OneSidedKind tag = Assert.Single(oneSided);
            Assert.Equal((WeComRecordKind.TagUser, (long?)1, true, 1L), (tag.Kind, tag.TagId, tag.InReference, tag.Records));
        }

        [Fact]
        public void With_shared_kinds_only_an_empty_tag_declared_on_the_difference_side_removes_its_members()
        {
            var reference = new List<WeComRecord> { new WeComTagMember { TagId = 1, UserId = "a" }, new WeComTagMember { TagId = 2, UserId = "b" } };

            var comparer = new DirectoryComparer(sharedKindsOnly: true);
            reference.ForEach(comparer.AddReference);
            comparer.DeclareDifferenceKind(WeComRecordKind.TagUser, 1);
            comparer.CompleteDifference();
            var changes = reference.Select(comparer.Revisit).Where(c => c is not null).Select(c => c!.ToString()).ToList();
            comparer.Complete();

            Assert.Equal(new[] { "Removed TagUser 1:user:a" }, changes);
            Assert.Equal((long?)2, Assert.Single(comparer.OneSidedKinds).TagId);
        }

        [Fact]
        public void Members_and_member_details_are_told_apart_by_their_status()
        {
            var comparer = new DirectoryComparer();
            comparer.AddReference(new WeComUser { UserId = "a", Status = 1 });
            comparer.AddReference(new WeComUser { UserId = "b", Status = 5 });
            comparer.AddDifference(new WeComUser { UserId = "a" });
            Assert.Equal(((bool?)true, (bool?)false), comparer.MembersAreDetails);

            var mixed = new DirectoryComparer();
            mixed.AddReference(new WeComUser { UserId = "a", Status = 1 });
            mixed.AddReference(new WeComUser { UserId = "b" });
            Assert.Equal(((bool?)null, (bool?)null), mixed.MembersAreDetails);
        }

        [Fact]
        public void Without_shared_kinds_only_or_with_a_kind_nothing_is_held_back()
        {
            var reference = new List<WeComRecord> { new WeComUser { UserId = "u1" } };
            var difference = new List<WeComRecord> { new WeComDepartment { Id = 1 } };
            var comparer = new DirectoryComparer(WeComRecordKind.User, sharedKindsOnly: true);
            comparer.AddReference(reference[0]);
            Assert.Null(comparer.AddDifference(difference[0]));
            comparer.CompleteDifference();
            Assert.Equal("Removed User u1", comparer.Revisit(reference[0])!.ToString());
            comparer.Complete();
            Assert.Empty(comparer.OneSidedKinds);
        }

        [Fact]
        public void Kind_compares_one_kind_and_ignores_the_others_on_both_sides()
        {
            var reference = new List<WeComRecord> { new WeComUser { UserId = "gone" }, new WeComDepartment { Id = 1, Name = "old" } };
            var difference = new List<WeComRecord> { new WeComDepartment { Id = 1, Name = "new" } };

            var changes = DirectoryComparer.Compare(() => reference, difference, WeComRecordKind.Department).ToList();

            Assert.Equal("Changed Department 1 (Name)", Assert.Single(changes).ToString());
        }

        [Fact]
        public void An_id_twice_on_one_side_is_reported_once_and_its_first_record_is_compared()
        {
            var problems = new List<WeComException>();
            var reference = Users("a", "a", "a", "b");
            var difference = new List<WeComRecord> { new WeComUser { UserId = "a", Name = "a" }, new WeComUser { UserId = "b", Name = "b" }, new WeComUser { UserId = "b", Name = "other" } };

            var changes = DirectoryComparer.Compare(() => reference, difference, problem: problems.Add).ToList();

            Assert.Empty(changes);
            Assert.Equal(2, problems.Count);
            Assert.All(problems, p => Assert.Equal(WeComErrors.DuplicateRecord.ErrorId, p.ErrorId));
            Assert.Contains("reference holds User a", problems[0].Message, StringComparison.Ordinal);
            Assert.Contains("difference holds User b", problems[1].Message, StringComparison.Ordinal);
        }

        [Fact]
        public void The_second_reading_of_the_reference_stops_after_the_last_record_it_needs()
        {
            var reference = Users(Enumerable.Range(0, 1000).Select(i => "u" + i).ToArray());
            var difference = Users(Enumerable.Range(1, 999).Select(i => "u" + i).ToArray());
            var readings = new List<int>();
            IEnumerable<WeComRecord> Counted()
            {
                readings.Add(0);
                foreach (WeComRecord record in reference)
                {
                    readings[^1]++;
                    yield return record;
                }
            }

            var changes = DirectoryComparer.Compare(Counted, difference).ToList();

            Assert.Equal("Removed User u0", Assert.Single(changes).ToString());
            Assert.Equal(new[] { 1000, 1 }, readings);

            readings.Clear();
            Assert.Empty(DirectoryComparer.Compare(Counted, reference).ToList());
            Assert.Equal(new[] { 1000 }, readings);
        }

        [Fact]
        public void A_reference_that_changes_between_its_two_readings_is_an_error_not_a_wrong_answer()
        {
            int reading = 0;
            IEnumerable<WeComRecord> Reference() => ++reading == 1 ? Users("a", "b") : new List<WeComRecord> { new WeComUser { UserId = "a", Name = "changed" }, new WeComUser { UserId = "b", Name = "b" } };
            var error = Assert.Throws<WeComException>(() => DirectoryComparer.Compare(Reference, Users("b")).ToList());
            Assert.Equal(WeComErrors.SnapshotFileChanged.ErrorId, error.ErrorId);

            reading = 0;
            IEnumerable<WeComRecord> Shrinking() => ++reading == 1 ? Users("a", "b") : Users("b");
            error = Assert.Throws<WeComException>(() => DirectoryComparer.Compare(Shrinking, Users("b")).ToList());
            Assert.Contains("1 of its records were not found", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void The_comparer_keeps_no_reference_record_only_hashes()
        {
            var comparer = new DirectoryComparer();
            WeakReference[] kept = AddReferences(comparer, 100);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            Assert.All(kept, w => Assert.False(w.IsAlive));

            comparer.AddDifference(new WeComUser { UserId = "u1", Name = "u1" });
            comparer.CompleteDifference();
            Assert.Equal(99, comparer.Pending);
        }

        [Fact]
        public void A_manifest_claiming_a_huge_record_count_does_not_size_the_table_to_it()
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var comparer = new DirectoryComparer(expectedReferenceCount: int.MaxValue);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 200_000_000);
            comparer.AddReference(new WeComUser { UserId = "a" });
        }

        [Fact]
        public void Calls_out_of_pass_order_are_refused()
        {
            var comparer = new DirectoryComparer();
            comparer.AddDifference(new WeComUser { UserId = "x" });
            Assert.Throws<InvalidOperationException>(() => comparer.AddReference(new WeComUser { UserId = "y" }));
            Assert.Throws<InvalidOperationException>(() => comparer.Revisit(new WeComUser { UserId = "y" }));
        }

        [Fact]
        public void Two_snapshot_folders_compare_through_the_reader_with_each_change_once()
        {
            using HandMadeSnapshot before = SnapshotReaderTests.Standard();
            using var after = new HandMadeSnapshot();
            after
                .Export(
                    ExportKind.SimpleUser,
                    null,
                    null,
                    ("simple_user.block0000.json", BlockJson.Users(BlockJson.User("zhangsan", "张三", department: "[1,2]"), BlockJson.User("zhaoliu", "赵六"))),
                    ("simple_user.block0001.json", BlockJson.Users(BlockJson.User("wangwu", "王五"))))
                .Export(ExportKind.Department, null, null, ("department.block0000.json", BlockJson.Departments(BlockJson.Department(1, "总部", 0), BlockJson.Department(2, "一部"))))
                .Export(ExportKind.TagUser, 7, "乒乓球协会", ("taguser-7.block0000.json", BlockJson.TagMembers("乒乓球协会", new[] { "zhangsan" }, new long[] { 2, 3 })))
                .WriteManifest();
            IEnumerable<WeComRecord> Read(string path) => new SnapshotReader().Read(path, (p, e) => throw e, CancellationToken.None);

            var changes = DirectoryComparer.Compare(() => Read(before.Path), Read(after.Path)).Select(c => c.ToString()).OrderBy(s => s, StringComparer.Ordinal);

            Assert.Equal(
                new[] { "Added TagUser 7:department:3", "Added User zhaoliu", "Changed User zhangsan (Department)", "Removed TagUser 7:user:lisi", "Removed User lisi" },
                changes);
        }

        [Fact]
        public void A_change_prints_as_type_kind_id_and_properties()
        {
            var change = new WeComDirectoryChange(WeComChangeType.Changed, WeComRecordKind.User, "u", WeComList<string>.Own(new[] { "Name", "Email" }), new WeComUser(), new WeComUser { Name = "n" });
            Assert.Equal("Changed User u (Name;Email)", change.ToString());
            Assert.Equal("n", change.Name);
        }

        internal static List<WeComRecord> Users(params string[] ids) => ids.Select(id => (WeComRecord)new WeComUser { UserId = id, Name = id }).ToList();

        private static List<WeComDirectoryChange> Compare(List<WeComRecord> reference, List<WeComRecord> difference, bool includeEqual = false) =>
            DirectoryComparer.Compare(() => reference, difference, includeEqual: includeEqual).ToList();

        /// <summary>A comparison of shared kinds only, pass by pass as the cmdlet runs it: the changes as text, and the kinds not compared.</summary>
        private static (List<string> Changes, IReadOnlyList<OneSidedKind> OneSided) CompareShared(List<WeComRecord> reference, List<WeComRecord> difference, WeComRecordKind? declaredInDifference = null)
        {
            var comparer = new DirectoryComparer(sharedKindsOnly: true);
            var changes = new List<string>();
            reference.ForEach(comparer.AddReference);
            if (declaredInDifference is { } declared)
            {
                comparer.DeclareDifferenceKind(declared);
            }

            foreach (WeComRecord record in difference)
            {
                if (comparer.AddDifference(record) is { } added)
                {
                    changes.Add(added.ToString());
                }
            }

            comparer.CompleteDifference();
            foreach (WeComRecord record in reference)
            {
                if (comparer.Revisit(record) is { } change)
                {
                    changes.Add(change.ToString());
                }
            }

            comparer.Complete();
            return (changes, comparer.OneSidedKinds);
        }

        private static WeComList<T> List<T>(params T[] items) => new(items);

        private static Dictionary<string, object?> Fields(params (string Name, object? Value)[] fields) => fields.ToDictionary(f => f.Name, f => f.Value);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static WeakReference[] AddReferences(DirectoryComparer comparer, int count)
        {
            var kept = new WeakReference[count];
            for (int i = 0; i < count; i++)
            {
                var user = new WeComUser { UserId = "u" + i, Name = "u" + i };
                kept[i] = new WeakReference(user);
                comparer.AddReference(user);
            }

            return kept;
        }
    }
}

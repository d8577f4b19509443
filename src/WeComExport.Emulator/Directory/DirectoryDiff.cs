using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace WeComExport.Emulator.Directory
{
    /// <summary>
    /// One record that differs between two directory views: what an export before and an export after
    /// would show. <see cref="Kind"/> is User (id = userid), Department (id = the department id in decimal)
    /// or TagUser (id = <c>user:&lt;userid&gt;</c> or <c>party:&lt;id&gt;</c>, as the ground truth's ids, with
    /// <see cref="TagId"/>). <see cref="ChangedFields"/> (WeCom's JSON names) only for Changed.
    /// </summary>
    internal sealed record DirectoryChange(string ChangeType, string Kind, string Id, int? TagId, IReadOnlyList<string> ChangedFields)
    {
        public const string Added = "Added";
        public const string Removed = "Removed";
        public const string Changed = "Changed";

        public void WriteJson(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            w.WriteString("changeType", ChangeType);
            w.WriteString("kind", Kind);
            w.WriteString("id", Id);
            if (TagId is int tagId)
            {
                w.WriteNumber("tagid", tagId);
            }

            if (ChangeType == Changed)
            {
                w.WriteStartArray("changedFields");
                foreach (string field in ChangedFields)
                {
                    w.WriteStringValue(field);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }
    }

    /// <summary>
    /// The ground truth of a change: the records of two views compared field by field, rendered by the same
    /// <see cref="RecordWriter"/> the exports use, so the answer is exactly what two exports differ by. Only the
    /// candidate records are compared (those a change touched, directly or through a leader reference): a
    /// diff costs the number of changes, not the size of the directory.
    /// </summary>
    internal static class DirectoryDiff
    {
        public static List<DirectoryChange> Compute(DirectoryView before, DirectoryView after, IEnumerable<string> userIds, IEnumerable<int> departmentIds)
        {
            string[] users = userIds.Distinct(StringComparer.Ordinal).OrderBy(u => u, StringComparer.Ordinal).ToArray();
            int[] departments = departmentIds.Distinct().OrderBy(d => d).ToArray();
            var beforeWriter = new RecordWriter(before);
            var afterWriter = new RecordWriter(after);
            var changes = new List<DirectoryChange>();
            var beforeRefs = new Dictionary<string, int?>(StringComparer.Ordinal);
            var afterRefs = new Dictionary<string, int?>(StringComparer.Ordinal);
            foreach (string userId in users)
            {
                int? b = beforeRefs[userId] = before.FindMember(userId);
                int? a = afterRefs[userId] = after.FindMember(userId);
                Compare(changes, "User", userId, null, RecordWriter.UserFields,
                    b is int br ? beforeWriter.EffectiveUser(br) : null, a is int ar ? afterWriter.EffectiveUser(ar) : null);
            }

            foreach (int id in departments)
            {
                int? b = before.FindDepartment(id);
                int? a = after.FindDepartment(id);
                Compare(changes, "Department", id.ToString(CultureInfo.InvariantCulture), null, RecordWriter.DepartmentFields,
                    b is int br ? beforeWriter.EffectiveDepartment(br) : null, a is int ar ? afterWriter.EffectiveDepartment(ar) : null);
            }

            var tagChanges = new List<DirectoryChange>();
            foreach (TagDefinition tag in after.Base.Tags.OrderBy(t => t.Id))
            {
                tagChanges.Clear();
                foreach (string userId in users)
                {
                    int? b = beforeRefs[userId] is int br && before.InTag(tag, br) ? br : null;
                    int? a = afterRefs[userId] is int ar && after.InTag(tag, ar) ? ar : null;
                    Compare(tagChanges, "TagUser", "user:" + userId, tag.Id, RecordWriter.TagUserFields,
                        b is int bm ? beforeWriter.EffectiveTagUser(bm) : null, a is int am ? afterWriter.EffectiveTagUser(am) : null);
                }

                foreach (int id in departments)
                {
                    bool b = before.FindDepartment(id) is int br && before.DepartmentInTag(tag, br);
                    bool a = after.FindDepartment(id) is int ar && after.DepartmentInTag(tag, ar);
                    if (a != b)
                    {
                        tagChanges.Add(new DirectoryChange(a ? DirectoryChange.Added : DirectoryChange.Removed, "TagUser",
                            "party:" + id.ToString(CultureInfo.InvariantCulture), tag.Id, Array.Empty<string>()));
                    }
                }

                changes.AddRange(tagChanges.OrderBy(c => c.Id, StringComparer.Ordinal));
            }

            return changes;
        }

        /// <summary>The fields whose presence or value differ, in the record's field order.</summary>
        public static List<string> ChangedFields(JsonElement before, JsonElement after, IReadOnlyList<string> fields)
        {
            var changed = new List<string>();
            foreach (string name in fields)
            {
                bool inBefore = before.TryGetProperty(name, out JsonElement b);
                bool inAfter = after.TryGetProperty(name, out JsonElement a);
                if (inBefore != inAfter || (inBefore && !JsonElement.DeepEquals(a, b)))
                {
                    changed.Add(name);
                }
            }

            return changed;
        }

        private static void Compare(List<DirectoryChange> changes, string kind, string id, int? tagId, IReadOnlyList<string> fields, JsonElement? before, JsonElement? after)
        {
            if (before is null && after is null)
            {
                return;
            }

            if (before is null || after is null)
            {
                changes.Add(new DirectoryChange(before is null ? DirectoryChange.Added : DirectoryChange.Removed, kind, id, tagId, Array.Empty<string>()));
                return;
            }

            List<string> changed = ChangedFields(before.Value, after.Value, fields);
            if (changed.Count > 0)
            {
                changes.Add(new DirectoryChange(DirectoryChange.Changed, kind, id, tagId, changed));
            }
        }
    }
}

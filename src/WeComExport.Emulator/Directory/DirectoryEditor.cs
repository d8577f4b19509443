using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace WeComExport.Emulator.Directory
{
    /// <summary>
    /// Applies one POST /_emulator/directory request to a draft of the corp's current view, all or nothing,
    /// and computes its ground truth. Order within a request: addDepartments, editDepartments, addMembers,
    /// editMembers, removeMembers, removeDepartments (so one request can create a department, move members
    /// into it, and remove the emptied old one). Every item is checked against the directory as the earlier
    /// items left it; the first bad item refuses the whole request (400) and nothing changes.
    /// </summary>
    internal sealed class DirectoryEditor
    {
        /// <summary>
        /// Per-kind limit of the random generator (and a bound on a request): a removal makes about 14 other records
        /// candidates for the ground truth (their leader lists), so this keeps one request to seconds.
        /// </summary>
        public const int MaxGenerated = 10_000;

        private static readonly HashSet<string> OptionalUserFields = new(StringComparer.Ordinal)
        {
            "mobile", "gender", "email", "biz_mail", "avatar", "thumb_avatar", "qr_code", "address", "english_name", "external_profile",
        };

        private static readonly HashSet<string> UserStringFields = new(StringComparer.Ordinal)
        {
            "name", "position", "mobile", "email", "biz_mail", "avatar", "thumb_avatar", "telephone", "alias", "address",
            "english_name", "open_userid", "qr_code", "external_position",
        };

        private readonly DirectoryView before;
        private readonly DirectoryView draft;
        private readonly RecordWriter draftWriter;
        private readonly HashSet<string> users = new(StringComparer.Ordinal);
        private readonly HashSet<int> departments = new();
        private readonly HashSet<string> appearedOrGone = new(StringComparer.Ordinal);

        private DirectoryEditor(DirectoryView current)
        {
            before = current;
            draft = current.Draft();
            draftWriter = new RecordWriter(draft);
        }

        /// <summary>The new view (sealed, ready to publish) and what changed from <paramref name="current"/> to it.</summary>
        public static (DirectoryView After, List<DirectoryChange> Changes) Apply(DirectoryView current, JsonElement body)
        {
            DirectoryChangeRequest request = DirectoryChangeRequest.Parse(body);
            if (request.Random is JsonElement spec)
            {
                using JsonDocument generated = RandomDirectoryChanges.Generate(current, spec);
                return Apply(current, generated.RootElement);
            }

            var editor = new DirectoryEditor(current);
            editor.Run(request);
            return editor.Finish();
        }

        private void Run(DirectoryChangeRequest request)
        {
            if (request.AddDepartments.Count + request.EditDepartments.Count + request.AddMembers.Count + request.EditMembers.Count +
                request.RemoveMembers.Count + request.RemoveDepartments.Count > 6 * MaxGenerated)
            {
                throw new DirectoryChangeException("Too many changes in one request.");
            }

            for (int k = 0; k < request.AddDepartments.Count; k++)
            {
                AddDepartment(request.AddDepartments[k], $"addDepartments[{k}]");
            }

            for (int k = 0; k < request.EditDepartments.Count; k++)
            {
                EditDepartment(request.EditDepartments[k], $"editDepartments[{k}]");
            }

            for (int k = 0; k < request.AddMembers.Count; k++)
            {
                AddMember(request.AddMembers[k], $"addMembers[{k}]");
            }

            for (int k = 0; k < request.EditMembers.Count; k++)
            {
                EditMember(request.EditMembers[k], $"editMembers[{k}]");
            }

            for (int k = 0; k < request.RemoveMembers.Count; k++)
            {
                string where = $"removeMembers[{k}]";
                JsonElement item = request.RemoveMembers[k];
                string userId = item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Bad(where, "must be a userid (a string)");
                int member = draft.FindMember(userId) ?? throw Bad(where, $"no member has the userid '{userId}'");
                draft.RemoveMember(member);
                users.Add(userId);
                appearedOrGone.Add(userId);
            }

            RemoveDepartments(request.RemoveDepartments);
        }

        private (DirectoryView After, List<DirectoryChange> Changes) Finish()
        {
            // Records that name a member who appeared or went: their leader lists show it.
            var baseIndexes = new HashSet<int>();
            SyntheticDirectory dir = before.Base;
            foreach (string userId in appearedOrGone)
            {
                int i = dir.IndexOfUserId(userId);
                if (i < 0)
                {
                    continue;
                }

                baseIndexes.Add(i);
                for (long j = 8L * i; j < (8L * i) + 8 && j < dir.MemberCount; j++)
                {
                    if (j > 0)
                    {
                        users.Add(dir.UserId((int)j));
                    }
                }

                for (long j = 64L * i; j < (64L * i) + 64 && j < dir.MemberCount; j++)
                {
                    if (dir.HasSecondLeader((int)j))
                    {
                        users.Add(dir.UserId((int)j));
                    }
                }
            }

            if (baseIndexes.Count > 0)
            {
                for (int d = 1; d <= dir.DepartmentCount; d++)
                {
                    if (baseIndexes.Contains(dir.DepartmentLeader(d)))
                    {
                        departments.Add(d);
                    }
                }
            }

            if (appearedOrGone.Count > 0)
            {
                foreach (DirectoryView view in new[] { before, draft })
                {
                    foreach (int member in view.PatchedMembers())
                    {
                        if (NamesAny(view.MemberPatch(member)!, "direct_leader"))
                        {
                            users.Add(view.UserIdOf(member));
                        }
                    }

                    foreach (int department in view.PatchedDepartments())
                    {
                        if (NamesAny(view.DepartmentPatch(department)!, "department_leader"))
                        {
                            departments.Add(view.DepartmentIdOf(department));
                        }
                    }
                }
            }

            draft.Touch(users, departments);
            DirectoryView after = draft.Seal();
            return (after, DirectoryDiff.Compute(before, after, users, departments));
        }

        private bool NamesAny(RecordPatch patch, string field) =>
            patch.Fields.TryGetValue(field, out JsonElement list) && list.ValueKind == JsonValueKind.Array &&
            list.EnumerateArray().Any(u => appearedOrGone.Contains(u.GetString()!));

        private void AddDepartment(JsonElement item, string where)
        {
            Dictionary<string, JsonElement> given = Fields(item, where, RecordWriter.DepartmentFields, allowNull: false);
            int id = given.TryGetValue("id", out JsonElement idElement) ? PositiveInt(idElement, where, "id") : draft.MaxDepartmentId() + 1;
            if (draft.FindDepartment(id) is not null)
            {
                throw Bad(where, $"department {id} already exists");
            }

            if (!given.ContainsKey("name") || !given.ContainsKey("parentid"))
            {
                throw Bad(where, "a new department needs name and parentid");
            }

            var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["id"] = Json(w => w.WriteNumberValue(id)) };
            foreach ((string name, JsonElement value) in given)
            {
                if (name is not ("id" or "tags"))
                {
                    fields[name] = DepartmentValue(name, value, where, id);
                }
            }

            fields.TryAdd("order", Json(w => w.WriteNumberValue(0)));
            draft.AddDepartment(new RecordPatch(fields, Tags(given, where)));
            departments.Add(id);
        }

        private void EditDepartment(JsonElement item, string where)
        {
            Dictionary<string, JsonElement> given = Fields(item, where, RecordWriter.DepartmentFields, allowNull: true);
            int id = given.TryGetValue("id", out JsonElement idElement) ? PositiveInt(idElement, where, "id") : throw Bad(where, "id is required");
            int department = draft.FindDepartment(id) ?? throw Bad(where, $"no department has the id {id}");
            var changes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach ((string name, JsonElement value) in given)
            {
                if (name is "id" or "tags")
                {
                    continue;
                }

                if (value.ValueKind == JsonValueKind.Null && name is not ("name_en" or "department_leader"))
                {
                    throw Bad(where, $"{name} cannot be null (only name_en and department_leader can be removed)");
                }

                changes[name] = value.ValueKind == JsonValueKind.Null ? value.Clone() : DepartmentValue(name, value, where, id);
            }

            RecordPatch patch = (draft.DepartmentPatch(department) ?? new RecordPatch(new Dictionary<string, JsonElement>(), null)).With(changes, Tags(given, where));
            draft.SetDepartmentPatch(department, patch);
            departments.Add(id);
        }

        /// <summary>All at once, so a department and its child can go in one request: refused like WeCom while members (60005) or other sub-departments (60006) remain.</summary>
        private void RemoveDepartments(List<JsonElement> items)
        {
            if (items.Count == 0)
            {
                return;
            }

            var ids = new HashSet<int>();
            var refs = new List<int>();
            for (int k = 0; k < items.Count; k++)
            {
                string where = $"removeDepartments[{k}]";
                int id = PositiveInt(items[k], where, "a department id");
                if (id == 1)
                {
                    throw Bad(where, "the root department (1) cannot be removed");
                }

                int department = draft.FindDepartment(id) ?? throw Bad(where, $"no department has the id {id}");
                if (!ids.Add(id))
                {
                    throw Bad(where, $"department {id} is named twice");
                }

                refs.Add(department);
            }

            SyntheticDirectory dir = draft.Base;
            foreach (int id in ids)
            {
                for (long c = (5L * (id - 1)) + 2; c <= (5L * (id - 1)) + 6 && c <= dir.DepartmentCount; c++)
                {
                    if (draft.FindDepartment((int)c) is int child && !ids.Contains((int)c) && draft.ParentOf(child) == id)
                    {
                        throw HasChildren(id, (int)c);
                    }
                }
            }

            foreach (int department in draft.PatchedDepartments())
            {
                int parent = draft.ParentOf(department);
                int childId = draft.DepartmentIdOf(department);
                if (ids.Contains(parent) && !ids.Contains(childId))
                {
                    throw HasChildren(parent, childId);
                }
            }

            for (int i = 0; i < dir.MemberCount; i++)
            {
                if (draft.IsBaseMemberRemoved(i) || draft.MemberPatch(i) is not null)
                {
                    continue;
                }

                (int main, int second) = dir.DepartmentPair(i);
                if (ids.Contains(main) || (second != 0 && ids.Contains(second)))
                {
                    throw HasMembers(ids.Contains(main) ? main : second, dir.UserId(i));
                }
            }

            foreach (int member in draft.PatchedMembers())
            {
                foreach (int d in draft.DepartmentsOf(member))
                {
                    if (ids.Contains(d))
                    {
                        throw HasMembers(d, draft.UserIdOf(member));
                    }
                }
            }

            foreach (int department in refs)
            {
                departments.Add(draft.DepartmentIdOf(department));
                draft.RemoveDepartment(department);
            }
        }

        private static DirectoryChangeException HasChildren(int id, int child) => new(
            $"removeDepartments: department {id} still has the sub-department {child}; WeCom refuses this (errcode 60006): remove or move the sub-departments first.", 60006);

        private static DirectoryChangeException HasMembers(int id, string userId) => new(
            $"removeDepartments: department {id} still has members (e.g. '{userId}'); WeCom refuses this (errcode 60005): move or remove them first.", 60005);

        private void AddMember(JsonElement item, string where)
        {
            Dictionary<string, JsonElement> given = Fields(item, where, RecordWriter.UserFields, allowNull: false);
            string userId = given.TryGetValue("userid", out JsonElement u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : throw Bad(where, "userid (a string) is required");
            if (!IsValidUserId(userId))
            {
                throw Bad(where, $"the userid '{userId}' is not valid: 1 to 64 of letters, digits and _-@., starting with a letter or digit");
            }

            if (draft.UserExists(userId))
            {
                throw Bad(where, $"a member with the userid '{userId}' already exists");
            }

            if (!given.ContainsKey("name"))
            {
                throw Bad(where, "a new member needs a name");
            }

            var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["userid"] = Json(w => w.WriteStringValue(userId)) };
            foreach ((string name, JsonElement value) in given)
            {
                if (name is not ("userid" or "tags"))
                {
                    fields[name] = UserValue(name, value, where, userId);
                }
            }

            // A new member as WeCom shows one: the root department unless told, not yet activated (status 4).
            fields.TryAdd("department", Json(w => WriteInts(w, new long[] { 1 })));
            int count = fields["department"].GetArrayLength();
            fields.TryAdd("order", Json(w => WriteInts(w, new long[count])));
            fields.TryAdd("is_leader_in_dept", Json(w => WriteInts(w, new long[count])));
            fields.TryAdd("main_department", Json(w => w.WriteNumberValue(fields["department"][0].GetInt32())));
            fields.TryAdd("position", Json(w => w.WriteStringValue(string.Empty)));
            fields.TryAdd("direct_leader", Json(w => WriteStrings(w, Array.Empty<string>())));
            fields.TryAdd("telephone", Json(w => w.WriteStringValue(string.Empty)));
            fields.TryAdd("alias", Json(w => w.WriteStringValue(string.Empty)));
            fields.TryAdd("status", Json(w => w.WriteNumberValue(4)));
            fields.TryAdd("open_userid", Json(w => w.WriteStringValue(OpenUserIdOf(userId))));
            fields.TryAdd("extattr", Json(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("attrs");
                w.WriteEndArray();
                w.WriteEndObject();
            }));
            fields.TryAdd("external_position", Json(w => w.WriteStringValue(string.Empty)));
            CheckConsistent(fields, where);
            draft.AddMember(new RecordPatch(fields, Tags(given, where)));
            users.Add(userId);
            appearedOrGone.Add(userId);
        }

        private void EditMember(JsonElement item, string where)
        {
            Dictionary<string, JsonElement> given = Fields(item, where, RecordWriter.UserFields, allowNull: true);
            string userId = given.TryGetValue("userid", out JsonElement u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : throw Bad(where, "userid (a string) is required");
            int member = draft.FindMember(userId) ?? throw Bad(where, $"no member has the userid '{userId}'");
            var changes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach ((string name, JsonElement value) in given)
            {
                if (name is "userid" or "tags")
                {
                    continue;
                }

                if (value.ValueKind == JsonValueKind.Null && !OptionalUserFields.Contains(name))
                {
                    throw Bad(where, $"{name} cannot be null (only {string.Join(", ", OptionalUserFields.Order(StringComparer.Ordinal))} can be removed)");
                }

                changes[name] = value.ValueKind == JsonValueKind.Null ? value.Clone() : UserValue(name, value, where, userId);
            }

            JsonElement current = draftWriter.EffectiveUser(member);
            if (changes.TryGetValue("department", out JsonElement newDepartments))
            {
                // A move keeps the member's order and leadership where it stays, 0 where it is new, and the main
                // department if it is still one of them (else the first), unless the edit says otherwise.
                long[] oldDepartments = Longs(current.GetProperty("department"));
                long[] newIds = Longs(newDepartments);
                long[] Carry(string field) => newIds.Select(d =>
                {
                    long[] old = current.TryGetProperty(field, out JsonElement e) ? Longs(e) : Array.Empty<long>();
                    int at = Array.IndexOf(oldDepartments, d);
                    return at >= 0 && at < old.Length ? old[at] : 0;
                }).ToArray();
                if (!changes.ContainsKey("order"))
                {
                    long[] order = Carry("order");
                    changes["order"] = Json(w => WriteInts(w, order));
                }

                if (!changes.ContainsKey("is_leader_in_dept"))
                {
                    long[] leader = Carry("is_leader_in_dept");
                    changes["is_leader_in_dept"] = Json(w => WriteInts(w, leader));
                }

                if (!changes.ContainsKey("main_department"))
                {
                    long main = current.GetProperty("main_department").GetInt64();
                    long kept = Array.IndexOf(newIds, main) >= 0 ? main : newIds[0];
                    changes["main_department"] = Json(w => w.WriteNumberValue(kept));
                }
            }

            var effective = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (JsonProperty property in current.EnumerateObject())
            {
                effective[property.Name] = property.Value;
            }

            foreach ((string name, JsonElement value) in changes)
            {
                effective[name] = value;
            }

            CheckConsistent(effective, where);
            RecordPatch patch = (draft.MemberPatch(member) ?? new RecordPatch(new Dictionary<string, JsonElement>(), null)).With(changes, Tags(given, where));
            draft.SetMemberPatch(member, patch);
            users.Add(userId);
        }

        /// <summary>department, order and is_leader_in_dept line up, and main_department is one of the departments.</summary>
        private static void CheckConsistent(Dictionary<string, JsonElement> fields, string where)
        {
            int count = fields["department"].GetArrayLength();
            foreach (string list in new[] { "order", "is_leader_in_dept" })
            {
                if (fields.TryGetValue(list, out JsonElement e) && e.ValueKind == JsonValueKind.Array && e.GetArrayLength() != count)
                {
                    throw Bad(where, $"{list} must have one entry per department ({count})");
                }
            }

            if (fields.TryGetValue("main_department", out JsonElement main) &&
                Array.IndexOf(Longs(fields["department"]), main.GetInt64()) < 0)
            {
                throw Bad(where, "main_department must be one of the member's departments");
            }
        }

        /// <summary>A member field's value, checked and written canonically (integers as integers, strings re-escaped).</summary>
        private JsonElement UserValue(string name, JsonElement value, string where, string userId)
        {
            if (UserStringFields.Contains(name))
            {
                string text = value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Bad(where, $"{name} must be a string");
                if (name == "name" && text.Length == 0)
                {
                    throw Bad(where, "name cannot be empty");
                }

                return Json(w => w.WriteStringValue(text));
            }

            switch (name)
            {
                case "gender":
                    string gender = value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Bad(where, "gender must be a string: \"0\", \"1\" or \"2\"");
                    return gender is "0" or "1" or "2" ? Json(w => w.WriteStringValue(gender)) : throw Bad(where, "gender must be \"0\", \"1\" or \"2\"");
                case "status":
                    int status = value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int s) ? s : 0;
                    return status is 1 or 2 or 4 or 5 ? Json(w => w.WriteNumberValue(status)) : throw Bad(where, "status must be 1, 2, 4 or 5");
                case "department":
                    long[] ids = IntegerList(value, where, name, 1, int.MaxValue);
                    if (ids.Length is 0 or > 100 || ids.Distinct().Count() != ids.Length)
                    {
                        throw Bad(where, "department must list 1 to 100 different department ids");
                    }

                    foreach (long d in ids)
                    {
                        if (draft.FindDepartment((int)d) is null)
                        {
                            throw Bad(where, $"department {d} does not exist");
                        }
                    }

                    return Json(w => WriteInts(w, ids));
                case "order":
                    long[] order = IntegerList(value, where, name, 0, uint.MaxValue);
                    return Json(w => WriteInts(w, order));
                case "is_leader_in_dept":
                    long[] leader = IntegerList(value, where, name, 0, 1);
                    return Json(w => WriteInts(w, leader));
                case "main_department":
                    int main = PositiveInt(value, where, name);
                    return Json(w => w.WriteNumberValue(main));
                case "direct_leader":
                    string[] leaders = UserIdList(value, where, name);
                    if (leaders.Length > 5 || leaders.Contains(userId, StringComparer.Ordinal))
                    {
                        throw Bad(where, "direct_leader holds at most 5 other members");
                    }

                    return Json(w => WriteStrings(w, leaders));
                default: // extattr, external_profile
                    return value.ValueKind == JsonValueKind.Object ? Json(value.WriteTo) : throw Bad(where, $"{name} must be an object");
            }
        }

        private JsonElement DepartmentValue(string name, JsonElement value, string where, int id)
        {
            switch (name)
            {
                case "name":
                case "name_en":
                    string text = value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Bad(where, $"{name} must be a string");
                    if (name == "name" && text.Length == 0)
                    {
                        throw Bad(where, "name cannot be empty");
                    }

                    return Json(w => w.WriteStringValue(text));
                case "parentid":
                    int parent = PositiveInt(value, where, name);
                    if (id == 1)
                    {
                        throw Bad(where, "the root department (1) cannot be moved");
                    }

                    if (draft.FindDepartment(parent) is null)
                    {
                        throw Bad(where, $"the parent department {parent} does not exist");
                    }

                    for (int up = parent; up != 0; up = draft.FindDepartment(up) is int r ? draft.ParentOf(r) : 0)
                    {
                        if (up == id)
                        {
                            throw Bad(where, $"department {parent} is {id} itself or below it: the tree would have a cycle");
                        }
                    }

                    return Json(w => w.WriteNumberValue(parent));
                case "order":
                    long order = value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long o) && o >= 0 && o <= uint.MaxValue
                        ? o : throw Bad(where, "order must be an integer from 0 to 4294967295");
                    return Json(w => w.WriteNumberValue(order));
                default: // department_leader
                    string[] leaders = UserIdList(value, where, name);
                    return Json(w => WriteStrings(w, leaders));
            }
        }

        private string[] UserIdList(JsonElement value, string where, string name)
        {
            if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                throw Bad(where, $"{name} must be an array of userids");
            }

            string[] ids = value.EnumerateArray().Select(e => e.GetString()!).ToArray();
            foreach (string id in ids)
            {
                if (!draft.UserExists(id))
                {
                    throw Bad(where, $"{name} names '{id}', who is not a member");
                }
            }

            if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Length)
            {
                throw Bad(where, $"{name} names a member twice");
            }

            return ids;
        }

        private int[]? Tags(Dictionary<string, JsonElement> given, string where)
        {
            if (!given.TryGetValue("tags", out JsonElement value))
            {
                return null;
            }

            long[] ids = IntegerList(value, where, "tags", 1, int.MaxValue);
            foreach (long id in ids)
            {
                if (draft.Base.FindTag(id) is null)
                {
                    throw Bad(where, $"tags names {id}, which is not a tag (see /cgi-bin/tag/list)");
                }
            }

            return ids.Distinct().Select(i => (int)i).Order().ToArray();
        }

        /// <summary>The item's properties, each a known field (or "tags"), given once; JSON null only where allowed.</summary>
        private static Dictionary<string, JsonElement> Fields(JsonElement item, string where, IReadOnlyList<string> known, bool allowNull)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw Bad(where, "must be an object");
            }

            var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (JsonProperty property in item.EnumerateObject())
            {
                if (property.Name != "tags" && !known.Contains(property.Name))
                {
                    throw Bad(where, $"unknown field '{property.Name}' (the fields are WeCom's: {string.Join(", ", known)}; and tags)");
                }

                if (!fields.TryAdd(property.Name, property.Value))
                {
                    throw Bad(where, $"the field '{property.Name}' is given twice");
                }

                if (property.Value.ValueKind == JsonValueKind.Null && (!allowNull || property.Name == "tags"))
                {
                    throw Bad(where, $"{property.Name} cannot be null here (leave it out)");
                }
            }

            return fields;
        }

        private static long[] IntegerList(JsonElement value, string where, string name, long min, long max)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                throw Bad(where, $"{name} must be an array of integers");
            }

            var list = new List<long>();
            foreach (JsonElement e in value.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long n) || n < min || n > max)
                {
                    throw Bad(where, $"{name} must be an array of integers from {min} to {max}");
                }

                list.Add(n);
            }

            return list.ToArray();
        }

        private static int PositiveInt(JsonElement value, string where, string name) =>
            value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) && n > 0 ? n : throw Bad(where, $"{name} must be a positive integer");

        private static long[] Longs(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt64()).ToArray();

        private static bool IsValidUserId(string userId) =>
            userId.Length is >= 1 and <= 64 && char.IsAsciiLetterOrDigit(userId[0]) &&
            userId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '@' or '.');

        /// <summary>An added member's open_userid: "wo" and 30 hex digits from its userid, like the synthetic ones.</summary>
        private static string OpenUserIdOf(string userId)
        {
            byte[] hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(userId));
            return "wo" + Convert.ToHexStringLower(hash)[..30];
        }

        private static void WriteInts(Utf8JsonWriter w, long[] values)
        {
            w.WriteStartArray();
            foreach (long v in values)
            {
                w.WriteNumberValue(v);
            }

            w.WriteEndArray();
        }

        private static void WriteStrings(Utf8JsonWriter w, string[] values)
        {
            w.WriteStartArray();
            foreach (string v in values)
            {
                w.WriteStringValue(v);
            }

            w.WriteEndArray();
        }

        /// <summary>A self-contained JSON value written by <paramref name="write"/> with the records' encoder.</summary>
        private static JsonElement Json(Action<Utf8JsonWriter> write)
        {
            var buffer = new ArrayBufferWriter<byte>(64);
            using (var w = new Utf8JsonWriter(buffer, RecordWriter.WriterOptions))
            {
                write(w);
            }

            using JsonDocument doc = JsonDocument.Parse(buffer.WrittenMemory);
            return doc.RootElement.Clone();
        }

        private static DirectoryChangeException Bad(string where, string problem) => new($"{where}: {problem}.");
    }
}

using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace WeComExport.Emulator.Directory
{
    /// <summary>
    /// The <c>random</c> form of POST /_emulator/directory: turns
    /// <c>{"seed":7,"addMembers":5,"removeMembers":5,"editMembers":10,"moveMembers":5,"renameDepartments":2,"addDepartments":1}</c>
    /// into an explicit request, picked deterministically from the seed and the directory as it is now (the
    /// same seed on the same directory gives the same changes). Removed, edited and moved members are all
    /// different members; only records that exist before the request are picked.
    /// </summary>
    internal static class RandomDirectoryChanges
    {
        public static JsonDocument Generate(DirectoryView view, JsonElement spec)
        {
            long seed = 1;
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (JsonProperty property in spec.EnumerateObject())
            {
                string key = property.Name.ToLowerInvariant();
                if (key == "seed" && property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out long s) && s >= 0 && !counts.ContainsKey(key))
                {
                    seed = s;
                    counts[key] = 0;
                }
                else if (key is "addmembers" or "removemembers" or "editmembers" or "movemembers" or "renamedepartments" or "adddepartments" &&
                    property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out int n) && n >= 0 && n <= DirectoryEditor.MaxGenerated &&
                    !counts.ContainsKey(key))
                {
                    counts[key] = n;
                }
                else
                {
                    throw new DirectoryChangeException(
                        $"Unknown, repeated or mistyped random setting '{property.Name}' (seed: an integer from 0; addMembers, removeMembers, editMembers, moveMembers, renameDepartments, addDepartments: integers from 0 to {DirectoryEditor.MaxGenerated}).");
                }
            }

            int Count(string key) => counts.GetValueOrDefault(key);
            int picked = Count("removemembers") + Count("editmembers") + Count("movemembers");
            if (picked > view.MemberCount)
            {
                throw new DirectoryChangeException($"random: removeMembers + editMembers + moveMembers ({picked}) exceed the {view.MemberCount} members.");
            }

            if (Count("renamedepartments") > view.DepartmentCount)
            {
                throw new DirectoryChangeException($"random: renameDepartments ({Count("renamedepartments")}) exceeds the {view.DepartmentCount} departments.");
            }

            var g = new Generator(view, (ulong)seed);
            var buffer = new ArrayBufferWriter<byte>(4096);
            using (var w = new Utf8JsonWriter(buffer, RecordWriter.WriterOptions))
            {
                w.WriteStartObject();
                g.AddDepartments(w, Count("adddepartments"));
                g.RenameDepartments(w, Count("renamedepartments"));
                g.AddMembers(w, Count("addmembers"));
                g.EditAndMoveMembers(w, Count("editmembers"), Count("movemembers"));
                g.RemoveMembers(w, Count("removemembers"));
                w.WriteEndObject();
            }

            return JsonDocument.Parse(buffer.WrittenMemory);
        }

        private sealed class Generator
        {
            private readonly DirectoryView view;
            private readonly ulong seed;
            private readonly RecordWriter writer;
            private readonly HashSet<int> usedMembers = new();
            private readonly HashSet<int> usedDepartments = new();

            public Generator(DirectoryView view, ulong seed)
            {
                this.view = view;
                this.seed = seed;
                writer = new RecordWriter(view);
            }

            public void AddDepartments(Utf8JsonWriter w, int n)
            {
                w.WriteStartArray("addDepartments");
                for (int k = 0; k < n; k++)
                {
                    ulong h = H(k, 1);
                    w.WriteStartObject();
                    w.WriteString("name", NamePools.DepartmentNames[Mix.Pick(h, NamePools.DepartmentNames.Length)] + "新" + Inv(seed) + "-" + Inv(k) + "组");
                    w.WriteNumber("parentid", view.DepartmentIdOf(view.DepartmentAt(Mix.Pick(h >> 16, view.DepartmentCount))));
                    w.WriteNumber("order", Mix.Pick(h >> 32, 100_000));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            public void RenameDepartments(Utf8JsonWriter w, int n)
            {
                w.WriteStartArray("editDepartments");
                for (int k = 0; k < n; k++)
                {
                    int department = Pick(usedDepartments, view.DepartmentCount, view.DepartmentAt, H(k, 2));
                    string old = writer.EffectiveDepartment(department).GetProperty("name").GetString()!;
                    string name = NamePools.DepartmentNames[Mix.Pick(H(k, 3), NamePools.DepartmentNames.Length)] + "（更名" + Inv(seed) + "-" + Inv(k) + "）";
                    w.WriteStartObject();
                    w.WriteNumber("id", view.DepartmentIdOf(department));
                    w.WriteString("name", name == old ? name + "′" : name);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            /// <summary>New members: userid <c>added-{seed}-{k}</c> (the next free number if taken); every other one is in tag 4 (全员通知).</summary>
            public void AddMembers(Utf8JsonWriter w, int n)
            {
                w.WriteStartArray("addMembers");
                var taken = new HashSet<string>(StringComparer.Ordinal);
                long next = 0;
                for (int k = 0; k < n; k++)
                {
                    string userId;
                    do
                    {
                        userId = "added-" + Inv(seed) + "-" + Inv(next++);
                    }
                    while (view.UserExists(userId) || !taken.Add(userId));

                    ulong h = H(k, 4);
                    var surname = NamePools.Surnames[Mix.Pick(h, NamePools.Surnames.Length)];
                    var given = NamePools.GivenNames[Mix.Pick(h >> 8, NamePools.GivenNames.Length)];
                    w.WriteStartObject();
                    w.WriteString("userid", userId);
                    w.WriteString("name", surname.Hanzi + given.Hanzi);
                    w.WriteStartArray("department");
                    w.WriteNumberValue(view.DepartmentIdOf(view.DepartmentAt(Mix.Pick(h >> 16, view.DepartmentCount))));
                    w.WriteEndArray();
                    w.WriteString("position", NamePools.Positions[Mix.Pick(h >> 32, NamePools.Positions.Length)]);
                    w.WriteString("mobile", "139" + (10_000_000 + Mix.Pick(h >> 40, 90_000_000)).ToString(CultureInfo.InvariantCulture));
                    w.WriteString("gender", Mix.Pick(h >> 60, 2) == 0 ? "1" : "2");
                    w.WriteString("email", userId + "@example-corp.com");
                    if (k % 2 == 0)
                    {
                        w.WriteStartArray("tags");
                        w.WriteNumberValue(4);
                        w.WriteEndArray();
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            /// <summary>Edits give a new position (and every other one a new name); moves put the member in one department it was not in.</summary>
            public void EditAndMoveMembers(Utf8JsonWriter w, int edits, int moves)
            {
                w.WriteStartArray("editMembers");
                for (int k = 0; k < edits; k++)
                {
                    int member = Pick(usedMembers, view.MemberCount, view.MemberAt, H(k, 5));
                    JsonElement current = writer.EffectiveUser(member);
                    w.WriteStartObject();
                    w.WriteString("userid", view.UserIdOf(member));
                    int p = Mix.Pick(H(k, 6), NamePools.Positions.Length);
                    string position = NamePools.Positions[p];
                    if (current.TryGetProperty("position", out JsonElement old) && old.GetString() == position)
                    {
                        position = NamePools.Positions[(p + 1) % NamePools.Positions.Length];
                    }

                    w.WriteString("position", position);
                    if (k % 2 == 0)
                    {
                        ulong h = H(k, 7);
                        string name = NamePools.Surnames[Mix.Pick(h, NamePools.Surnames.Length)].Hanzi + NamePools.GivenNames[Mix.Pick(h >> 8, NamePools.GivenNames.Length)].Hanzi;
                        w.WriteString("name", current.GetProperty("name").GetString() == name ? name + "二" : name);
                    }

                    w.WriteEndObject();
                }

                for (int k = 0; k < moves; k++)
                {
                    int member = Pick(usedMembers, view.MemberCount, view.MemberAt, H(k, 8));
                    int[] current = view.DepartmentsOf(member);
                    int start = Mix.Pick(H(k, 9), view.DepartmentCount);
                    int target = 0;
                    for (int step = 0; step < view.DepartmentCount && target == 0; step++)
                    {
                        int id = view.DepartmentIdOf(view.DepartmentAt((start + step) % view.DepartmentCount));
                        if (Array.IndexOf(current, id) < 0)
                        {
                            target = id;
                        }
                    }

                    if (target == 0)
                    {
                        throw new DirectoryChangeException($"random: member '{view.UserIdOf(member)}' is in every department and cannot be moved.");
                    }

                    w.WriteStartObject();
                    w.WriteString("userid", view.UserIdOf(member));
                    w.WriteStartArray("department");
                    w.WriteNumberValue(target);
                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            public void RemoveMembers(Utf8JsonWriter w, int n)
            {
                w.WriteStartArray("removeMembers");
                for (int k = 0; k < n; k++)
                {
                    w.WriteStringValue(view.UserIdOf(Pick(usedMembers, view.MemberCount, view.MemberAt, H(k, 10))));
                }

                w.WriteEndArray();
            }

            /// <summary>A ref not yet used: a random item, then (if taken) the next free item after it, so it always ends.</summary>
            private static int Pick(HashSet<int> used, int count, Func<int, int> at, ulong h)
            {
                int item = Mix.Pick(h, count);
                for (int step = 0; step < count; step++)
                {
                    int candidate = at((item + step) % count);
                    if (used.Add(candidate))
                    {
                        return candidate;
                    }
                }

                throw new DirectoryChangeException("random: not enough records to pick from.");
            }

            private ulong H(int k, ulong salt) => Mix.Hash(seed, (ulong)k, 0xD1F0 + salt);

            private static string Inv(ulong n) => n.ToString(CultureInfo.InvariantCulture);

            private static string Inv(long n) => n.ToString(CultureInfo.InvariantCulture);
        }
    }
}

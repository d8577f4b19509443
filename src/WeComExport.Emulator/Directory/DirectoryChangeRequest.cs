using System;
using System.Collections.Generic;
using System.Text.Json;

namespace WeComExport.Emulator.Directory
{
    /// <summary>Bad input to POST /_emulator/directory (answered 400), with WeCom's errcode where WeCom has one (60005, 60006).</summary>
    internal sealed class DirectoryChangeException : ArgumentException
    {
        public DirectoryChangeException(string message, int errcode = 0)
            : base(message)
        {
            ErrCode = errcode;
        }

        public DirectoryChangeException()
        {
        }

        public DirectoryChangeException(string message)
            : base(message)
        {
        }

        public DirectoryChangeException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        /// <summary>WeCom's errcode for the same refusal, or 0.</summary>
        public int ErrCode { get; }
    }

    /// <summary>
    /// The body of POST /_emulator/directory: explicit lists of changes, or a <c>random</c> generator spec.
    /// Keys are matched case-insensitively (as the other control endpoints do); an unknown key, a key given
    /// twice or a value of the wrong type is refused. The items themselves are checked when applied.
    /// </summary>
    internal sealed class DirectoryChangeRequest
    {
        public List<JsonElement> AddDepartments { get; } = new();

        public List<JsonElement> EditDepartments { get; } = new();

        public List<JsonElement> AddMembers { get; } = new();

        public List<JsonElement> EditMembers { get; } = new();

        public List<JsonElement> RemoveMembers { get; } = new();

        public List<JsonElement> RemoveDepartments { get; } = new();

        /// <summary>The random generator's spec, if the body holds one (then it holds nothing else).</summary>
        public JsonElement? Random { get; private set; }

        public static DirectoryChangeRequest Parse(JsonElement body)
        {
            var request = new DirectoryChangeRequest();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in body.EnumerateObject())
            {
                string key = property.Name.ToLowerInvariant();
                if (!seen.Add(key))
                {
                    throw new DirectoryChangeException($"The key '{property.Name}' is given twice.");
                }

                List<JsonElement>? list = key switch
                {
                    "adddepartments" => request.AddDepartments,
                    "editdepartments" => request.EditDepartments,
                    "addmembers" => request.AddMembers,
                    "editmembers" => request.EditMembers,
                    "removemembers" => request.RemoveMembers,
                    "removedepartments" => request.RemoveDepartments,
                    "random" => null,
                    _ => throw new DirectoryChangeException(
                        $"Unknown key '{property.Name}': use removeMembers, addMembers, editMembers, removeDepartments, addDepartments, editDepartments, or random alone."),
                };
                if (list is null)
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw new DirectoryChangeException("random must be an object, e.g. {\"seed\":7,\"editMembers\":10}.");
                    }

                    request.Random = property.Value;
                    continue;
                }

                if (property.Value.ValueKind != JsonValueKind.Array)
                {
                    throw new DirectoryChangeException($"{property.Name} must be an array.");
                }

                list.AddRange(property.Value.EnumerateArray());
            }

            if (seen.Count == 0)
            {
                throw new DirectoryChangeException("The body names no change: give removeMembers, addMembers, editMembers, removeDepartments, addDepartments, editDepartments or random.");
            }

            if (request.Random is not null && seen.Count > 1)
            {
                throw new DirectoryChangeException("random cannot be combined with explicit changes in one request.");
            }

            return request;
        }
    }
}

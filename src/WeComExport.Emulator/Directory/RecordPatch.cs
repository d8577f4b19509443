using System;
using System.Collections.Generic;
using System.Text.Json;

namespace WeComExport.Emulator.Directory
{
    /// <summary>
    /// What the directory overlay stores for one member or department: for a synthetic record, the fields
    /// an edit replaced (a JSON null = the field is now absent); for an added record, every field it has.
    /// Immutable: an edit makes a new patch.
    /// </summary>
    internal sealed class RecordPatch
    {
        public RecordPatch(IReadOnlyDictionary<string, JsonElement> fields, int[]? tags)
        {
            Fields = fields;
            Tags = tags;
        }

        /// <summary>Field name (WeCom's JSON name) → value, each value self-contained (cloned).</summary>
        public IReadOnlyDictionary<string, JsonElement> Fields { get; }

        /// <summary>The ids of the tags holding the record; null = as the synthetic directory says (an added record: none).</summary>
        public int[]? Tags { get; }

        /// <summary>This patch with <paramref name="changes"/> laid over its fields, and <paramref name="tags"/> if not null.</summary>
        public RecordPatch With(IReadOnlyDictionary<string, JsonElement> changes, int[]? tags)
        {
            var fields = new Dictionary<string, JsonElement>(Fields, StringComparer.Ordinal);
            foreach (KeyValuePair<string, JsonElement> change in changes)
            {
                fields[change.Key] = change.Value;
            }

            return new RecordPatch(fields, tags ?? Tags);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Text.Json;
using WeComExport.Records;

namespace WeComExport.Blocks
{
    /// <summary>Collects one record's unknown (or unexpectedly typed) fields; most records have none, so nothing is allocated then.</summary>
    internal sealed class AdditionalFieldsBuilder
    {
        private Dictionary<string, object?>? fields;

        /// <summary>Keeps the value the reader is on under <paramref name="name"/>; false when the window ends inside it.</summary>
        public bool TryKeep(ref Utf8JsonReader reader, string name)
        {
            if (!JsonValues.TryRead(ref reader, out object? value))
            {
                return false;
            }

            Add(name, value);
            return true;
        }

        public void Add(string name, object? value)
        {
            fields ??= new Dictionary<string, object?>(StringComparer.Ordinal);
            fields[name] = value;
        }

        /// <summary>The fields collected since the last call (null when none), starting afresh.</summary>
        public WeComJsonObject? Take()
        {
            if (fields is null)
            {
                return null;
            }

            var result = new WeComJsonObject(fields);
            fields = null;
            return result;
        }

        /// <summary>Forgets a record that could not be finished (it is parsed again after a refill).</summary>
        public void Clear() => fields = null;
    }
}

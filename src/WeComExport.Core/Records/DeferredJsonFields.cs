using System;
using System.Collections;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;

namespace WeComExport.Records
{
    /// <summary>
    /// A JSON object's fields kept as the object's UTF-8 text until first read, then as plain values: a record's
    /// external_profile costs one array instead of a tree of dictionaries, and nothing more when no one reads it
    /// (a count, a filter on other fields), and writing it (ToString, a CSV cell) copies the text without building
    /// values. The text was checked when the block was read (<see cref="KeptJsonText.TrySkip"/>), so reading it later cannot fail.
    /// </summary>
    internal sealed class DeferredJsonFields : IDictionary<string, object?>
    {
        private readonly bool writesAsIs;
        private byte[]? json;
        private Dictionary<string, object?>? fields;

        public DeferredJsonFields(byte[] json, bool writesAsIs)
        {
            this.json = json;
            this.writesAsIs = writesAsIs;
        }

        private Dictionary<string, object?> Fields
        {
            get
            {
                Dictionary<string, object?>? read = Volatile.Read(ref fields);
                return read ?? Materialize();
            }
        }

        /// <summary>Whether the values have been built (the text is dropped then).</summary>
        public bool HasValues => Volatile.Read(ref fields) is not null;

        public int Count => Fields.Count;

        public bool IsReadOnly => true;

        public ICollection<string> Keys => Fields.Keys;

        public ICollection<object?> Values => Fields.Values;

        public object? this[string key]
        {
            get => Fields[key];
            set => throw ReadOnly();
        }

        public bool ContainsKey(string key) => Fields.ContainsKey(key);

        public bool TryGetValue(string key, out object? value) => Fields.TryGetValue(key, out value);

        public bool Contains(KeyValuePair<string, object?> item) => ((ICollection<KeyValuePair<string, object?>>)Fields).Contains(item);

        public void CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) => ((ICollection<KeyValuePair<string, object?>>)Fields).CopyTo(array, arrayIndex);

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Fields.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public void Add(string key, object? value) => throw ReadOnly();

        public void Add(KeyValuePair<string, object?> item) => throw ReadOnly();

        public bool Remove(string key) => throw ReadOnly();

        public bool Remove(KeyValuePair<string, object?> item) => throw ReadOnly();

        public void Clear() => throw ReadOnly();

        /// <summary>Writes the kept text as its values would be written; false when the values must be written instead.</summary>
        public bool TryWrite(Utf8JsonWriter writer)
        {
            byte[]? text = Volatile.Read(ref json);
            if (text is null || !writesAsIs)
            {
                return false;
            }

            KeptJsonText.Write(writer, text);
            return true;
        }

        private static NotSupportedException ReadOnly() => new("A record's JSON object is read-only.");

        private Dictionary<string, object?> Materialize()
        {
            byte[]? text = Volatile.Read(ref json);
            if (text is null)
            {
                // Dropped only after the values were published.
                return Volatile.Read(ref fields)!;
            }

            var reader = new Utf8JsonReader(text, isFinalBlock: true, state: default);
            if (!reader.Read() || !JsonValues.TryReadFields(ref reader, out Dictionary<string, object?> read))
            {
                // Unreachable: the text was a whole, checked object when it was kept.
                throw new InvalidOperationException("A kept JSON object is incomplete.");
            }

            // Two first readers build equal values; the first to publish wins and both return it. Read once: the
            // values are what is kept from now on.
            Dictionary<string, object?> kept = Interlocked.CompareExchange(ref fields, read, null) ?? read;
            Volatile.Write(ref json, null);
            return kept;
        }
    }
}

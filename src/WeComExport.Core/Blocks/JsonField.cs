using System;
using System.Collections.Generic;
using System.Text.Json;
using WeComExport.Records;

namespace WeComExport.Blocks
{
    /// <summary>Reads the JSON value the reader is on into <paramref name="record"/>; <see cref="FieldRead.Mismatch"/> leaves the reader unmoved.</summary>
    internal delegate FieldRead ReadField<in TRecord>(ref Utf8JsonReader reader, TRecord record, FieldScratch scratch);

    /// <summary>One known field of a record type: its JSON name and how its value is read into the record.</summary>
    internal sealed class JsonField<TRecord>
    {
        public JsonField(string jsonName, ReadField<TRecord> read)
        {
            JsonName = jsonName;
            Read = read;
        }

        public string JsonName { get; }

        public ReadField<TRecord> Read { get; }
    }

    /// <summary>
    /// The kinds of field a record has, each a typed read (<see cref="JsonFields"/>) and a setter: a record type's
    /// table is one line per field. A value of another type is a mismatch and goes to AdditionalFields.
    /// </summary>
    internal static class JsonField
    {
        public static JsonField<T> Text<T>(string name, Action<T, string?> set) =>
            new(name, (ref Utf8JsonReader reader, T record, FieldScratch _) => Set(JsonFields.TryGetText(ref reader, out string? value), set, record, value));

        /// <summary>Text that repeats across a block (job titles, gender): one shared string per distinct value.</summary>
        public static JsonField<T> RepeatedText<T>(string name, Action<T, string?> set) =>
            new(name, (ref Utf8JsonReader reader, T record, FieldScratch scratch) => Set(scratch.Repeated.TryGetText(ref reader, out string? value), set, record, value));

        public static JsonField<T> Int32<T>(string name, Action<T, int?> set) =>
            new(name, (ref Utf8JsonReader reader, T record, FieldScratch _) => Set(JsonFields.TryGetInt32(ref reader, out int? value), set, record, value));

        public static JsonField<T> Int64<T>(string name, Action<T, long?> set) =>
            new(name, (ref Utf8JsonReader reader, T record, FieldScratch _) => Set(JsonFields.TryGetInt64(ref reader, out long? value), set, record, value));

        public static JsonField<T> Int64List<T>(string name, Action<T, WeComList<long>> set) =>
            new(name, (ref Utf8JsonReader reader, T record, FieldScratch scratch) => Set(JsonFields.TryReadInt64List(ref reader, scratch.Numbers, out WeComList<long> value), set, record, value));

        public static JsonField<T> Int32List<T>(string name, Action<T, WeComList<int>> set) =>
            new(name, (ref Utf8JsonReader reader, T record, FieldScratch scratch) => Set(JsonFields.TryReadInt32List(ref reader, scratch.Numbers, out WeComList<int> value), set, record, value));

        public static JsonField<T> TextList<T>(string name, Action<T, WeComList<string>> set) =>
            new(name, (ref Utf8JsonReader reader, T record, FieldScratch scratch) => Set(JsonFields.TryReadStringList(ref reader, scratch.Texts, out WeComList<string> value), set, record, value));

        public static JsonField<T> ExtAttr<T>(string name, Action<T, WeComExtAttr?> set) =>
            new(name, (ref Utf8JsonReader reader, T record, FieldScratch scratch) => Set(scratch.ExtAttr.TryParse(ref reader, out WeComExtAttr? value), set, record, value));

        /// <summary>An object kept as plain values (<see cref="WeComJsonObject"/>).</summary>
        public static JsonField<T> Object<T>(string name, Action<T, IReadOnlyDictionary<string, object?>?> set) =>
            new(name, (ref Utf8JsonReader reader, T record, FieldScratch scratch) => Set(JsonFields.TryReadObject(ref reader, scratch, out IReadOnlyDictionary<string, object?>? value), set, record, value));

        private static FieldRead Set<T, TValue>(bool typed, Action<T, TValue> set, T record, TValue value) =>
            Set(typed ? FieldRead.Done : FieldRead.Mismatch, set, record, value);

        private static FieldRead Set<T, TValue>(FieldRead read, Action<T, TValue> set, T record, TValue value)
        {
            if (read == FieldRead.Done)
            {
                set(record, value);
            }

            return read;
        }
    }
}

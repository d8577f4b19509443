using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using WeComExport.Records;

namespace WeComExport.Blocks
{
    /// <summary>How reading a field's value went.</summary>
    internal enum FieldRead
    {
        /// <summary>The value had the expected type and was read.</summary>
        Done,

        /// <summary>The window ended inside the value: refill and retry the record.</summary>
        NeedMore,

        /// <summary>The value has another type; the reader is unmoved, so the caller keeps it as an additional field.</summary>
        Mismatch,
    }

    /// <summary>
    /// Typed reads of a record's field values, tolerant of what WeCom might send instead (numbers as
    /// strings and the reverse, null for absent). A value of an unexpected shape is reported as a
    /// mismatch, and the record keeps it in AdditionalFields rather than losing it or failing the export.
    /// </summary>
    internal static class JsonFields
    {
        /// <summary>Text: a string, or a number/bool's literal text; null for null.</summary>
        public static bool TryGetText(ref Utf8JsonReader reader, out string? value)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    value = reader.GetString();
                    return true;
                case JsonTokenType.Null:
                    value = null;
                    return true;
                case JsonTokenType.Number:
                case JsonTokenType.True:
                case JsonTokenType.False:
                    value = Encoding.UTF8.GetString(reader.ValueSpan.ToArray());
                    return true;
                default:
                    value = null;
                    return false;
            }
        }

        /// <summary>A whole number, or a string holding one; null for null.</summary>
        public static bool TryGetInt64(ref Utf8JsonReader reader, out long? value)
        {
            value = null;
            switch (reader.TokenType)
            {
                case JsonTokenType.Number when reader.TryGetInt64(out long number):
                    value = number;
                    return true;
                case JsonTokenType.String when !reader.ValueIsEscaped
                    && Utf8Parser.TryParse(reader.ValueSpan, out long parsed, out int used) && used == reader.ValueSpan.Length:
                    value = parsed;
                    return true;
                case JsonTokenType.Null:
                    return true;
                default:
                    return false;
            }
        }

        public static bool TryGetInt32(ref Utf8JsonReader reader, out int? value)
        {
            value = null;
            if (TryGetInt64(ref reader, out long? wide) && (wide is null || (wide >= int.MinValue && wide <= int.MaxValue)))
            {
                value = (int?)wide;
                return true;
            }

            return false;
        }

        public static FieldRead TryReadInt64List(ref Utf8JsonReader reader, List<long> scratch, out WeComList<long> list)
        {
            FieldRead read = TryReadWholeNumbers(ref reader, scratch, long.MinValue, long.MaxValue);
            list = read == FieldRead.Done && scratch.Count > 0 ? WeComList<long>.Own(scratch.ToArray()) : WeComList<long>.Empty;
            return read;
        }

        public static FieldRead TryReadInt32List(ref Utf8JsonReader reader, List<long> scratch, out WeComList<int> list)
        {
            list = WeComList<int>.Empty;
            FieldRead read = TryReadWholeNumbers(ref reader, scratch, int.MinValue, int.MaxValue);
            if (read == FieldRead.Done && scratch.Count > 0)
            {
                var items = new int[scratch.Count];
                for (int i = 0; i < items.Length; i++)
                {
                    items[i] = (int)scratch[i];
                }

                list = WeComList<int>.Own(items);
            }

            return read;
        }

        /// <summary>Collects an array of whole numbers in [min, max] into <paramref name="scratch"/>; null reads as empty.</summary>
        private static FieldRead TryReadWholeNumbers(ref Utf8JsonReader reader, List<long> scratch, long min, long max)
        {
            scratch.Clear();
            if (reader.TokenType == JsonTokenType.Null)
            {
                return FieldRead.Done;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return FieldRead.Mismatch;
            }

            Utf8JsonReader mark = reader;
            while (true)
            {
                if (!reader.Read())
                {
                    return FieldRead.NeedMore;
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    return FieldRead.Done;
                }

                if (!TryGetInt64(ref reader, out long? item) || item is null || item < min || item > max)
                {
                    reader = mark;
                    scratch.Clear();
                    return FieldRead.Mismatch;
                }

                scratch.Add(item.Value);
            }
        }

        public static FieldRead TryReadStringList(ref Utf8JsonReader reader, List<string> scratch, out WeComList<string> list)
        {
            list = WeComList<string>.Empty;
            if (reader.TokenType == JsonTokenType.Null)
            {
                return FieldRead.Done;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return FieldRead.Mismatch;
            }

            Utf8JsonReader mark = reader;
            scratch.Clear();
            while (true)
            {
                if (!reader.Read())
                {
                    return FieldRead.NeedMore;
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    list = WeComList<string>.Own(scratch.ToArray());
                    return FieldRead.Done;
                }

                if (!TryGetText(ref reader, out string? item) || item is null)
                {
                    reader = mark;
                    return FieldRead.Mismatch;
                }

                scratch.Add(item);
            }
        }

        /// <summary>
        /// An object (<see cref="WeComJsonObject"/>), kept as its text from <paramref name="scratch"/>'s window and read into
        /// plain values on first use; null for null. The text is checked now, so a bad block fails here and not when
        /// someone reads the field.
        /// </summary>
        public static FieldRead TryReadObject(ref Utf8JsonReader reader, FieldScratch scratch, out IReadOnlyDictionary<string, object?>? value)
        {
            value = null;
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return FieldRead.Done;
                case JsonTokenType.StartObject:
                    long start = reader.TokenStartIndex;
                    if (!scratch.KeptJson.TrySkip(ref reader, out bool writesAsIs))
                    {
                        return FieldRead.NeedMore;
                    }

                    value = WeComJsonObject.FromCheckedUtf8(scratch.Window.CopyOf(start, reader.BytesConsumed), writesAsIs);
                    return FieldRead.Done;
                default:
                    return FieldRead.Mismatch;
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace WeComExport.Records
{
    /// <summary>
    /// Converts JSON values the records do not model into plain .NET values (string, long, ulong,
    /// BigInteger, double, bool, null, <see cref="WeComJsonObject"/>, object?[]) and writes them back as JSON.
    /// </summary>
    internal static class JsonValues
    {
        public static readonly WeComJsonObject EmptyObject = new(new Dictionary<string, object?>(0, StringComparer.Ordinal));

        /// <summary>
        /// Reads the value whose first token the reader is on, leaving the reader on its last token.
        /// Returns false when the buffer ends inside the value (the caller refills and retries).
        /// </summary>
        public static bool TryRead(ref Utf8JsonReader reader, out object? value)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    return TryReadObject(ref reader, out value);
                case JsonTokenType.StartArray:
                    return TryReadArray(ref reader, out value);
                default:
                    value = ReadScalar(ref reader);
                    return true;
            }
        }

        /// <summary>
        /// How a JSON number is kept: a long; else a ulong (an id up to 2^64 - 1); else, for a whole number, a
        /// BigInteger, exactly; else a finite double; else its literal text. Whole numbers are never rounded, so two
        /// different ids never read (or compare) as one.
        /// </summary>
        internal enum NumberForm
        {
            Whole,
            BeyondLong,
            Real,
            Literal,
        }

        /// <summary>Digits beyond which a whole number is kept as its text: BigInteger's parse is quadratic in them.</summary>
        internal const int MaxBigDigits = 1000;

        /// <summary>
        /// The one rule for a number, for values and kept text alike (so text written as it is equals the values'):
        /// beyond double's range (1e400) some runtimes fail and others give Infinity, which JSON cannot hold, so the
        /// literal is kept instead, the same everywhere.
        /// </summary>
        internal static NumberForm NumberOf(ref Utf8JsonReader reader, out long whole, out double real)
        {
            real = 0;
            if (reader.TryGetInt64(out whole))
            {
                return NumberForm.Whole;
            }

            if (reader.ValueSpan.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0)
            {
                bool negative = reader.ValueSpan[0] == (byte)'-';
                return reader.ValueSpan.Length - (negative ? 1 : 0) <= MaxBigDigits ? NumberForm.BeyondLong : NumberForm.Literal;
            }

            return reader.TryGetDouble(out real) && !double.IsInfinity(real) ? NumberForm.Real : NumberForm.Literal;
        }

        /// <summary>The number of the <see cref="NumberForm.BeyondLong"/> form, as its value: a ulong when it fits, else a BigInteger.</summary>
        internal static object WholeBeyondLong(ref Utf8JsonReader reader) =>
            reader.TryGetUInt64(out ulong unsigned)
                ? (object)unsigned // boxed apart, as above: the ternary would widen it to BigInteger
                : BigInteger.Parse(Encoding.UTF8.GetString(reader.ValueSpan.ToArray()), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

        /// <summary>The scalar the reader is on: string, a number in the form <see cref="NumberOf"/> gives, bool or null.</summary>
        public static object? ReadScalar(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    return reader.GetString();
                case JsonTokenType.Number:
                    // Boxed apart: in a plain ternary the long would widen to double and lose precision.
                    NumberForm form = NumberOf(ref reader, out long whole, out double real);
                    return form switch
                    {
                        NumberForm.Whole => whole,
                        NumberForm.BeyondLong => WholeBeyondLong(ref reader),
                        NumberForm.Real => real,
                        _ => Encoding.UTF8.GetString(reader.ValueSpan.ToArray()),
                    };
                case JsonTokenType.True:
                    return true;
                case JsonTokenType.False:
                    return false;
                case JsonTokenType.Null:
                    return null;
                default:
                    throw new InvalidOperationException($"Not a JSON scalar: {reader.TokenType}.");
            }
        }

        /// <summary>Reads the rest of an object whose StartObject the reader is on.</summary>
        public static bool TryReadObject(ref Utf8JsonReader reader, out object? value)
        {
            value = null;
            if (!TryReadFields(ref reader, out Dictionary<string, object?> fields))
            {
                return false;
            }

            value = new WeComJsonObject(fields);
            return true;
        }

        /// <summary>Reads the rest of an object whose StartObject the reader is on into its fields.</summary>
        public static bool TryReadFields(ref Utf8JsonReader reader, out Dictionary<string, object?> fields)
        {
            fields = new Dictionary<string, object?>(StringComparer.Ordinal);
            while (true)
            {
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    return true;
                }

                string name = reader.GetString()!;
                if (!reader.Read() || !TryRead(ref reader, out object? item))
                {
                    return false;
                }

                // A repeated name keeps its last value, as most JSON readers do.
                fields[name] = item;
            }
        }

        private static bool TryReadArray(ref Utf8JsonReader reader, out object? value)
        {
            value = null;
            var items = new List<object?>();
            while (true)
            {
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    value = items.ToArray();
                    return true;
                }

                if (!TryRead(ref reader, out object? item))
                {
                    return false;
                }

                items.Add(item);
            }
        }

        public static void Write(Utf8JsonWriter writer, object? value)
        {
            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case string text:
                    writer.WriteStringValue(text);
                    break;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    break;
                case long whole:
                    writer.WriteNumberValue(whole);
                    break;
                case double real:
                    writer.WriteNumberValue(real);
                    break;
                case ulong unsigned:
                    writer.WriteNumberValue(unsigned);
                    break;
                case BigInteger big:
                    writer.WriteRawValue(big.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
                    break;
                case WeComJsonObject kept when kept.TryWriteKeptText(writer):
                    // An object still kept as its text is written from it, as its values would be.
                    break;
                case IReadOnlyDictionary<string, object?> fields:
                    writer.WriteStartObject();
                    foreach (KeyValuePair<string, object?> field in fields)
                    {
                        writer.WritePropertyName(field.Key);
                        Write(writer, field.Value);
                    }

                    writer.WriteEndObject();
                    break;
                case object?[] items:
                    writer.WriteStartArray();
                    foreach (object? item in items)
                    {
                        Write(writer, item);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
            }
        }
    }
}

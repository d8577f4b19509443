using System;
using System.Buffers.Binary;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
using WeComExport.Records;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// A record's values as bytes that are equal exactly when the values are: every value is written with a
    /// type tag and every text and list with its length, so the encoding of one value never runs into the
    /// next (["ab","c"] and ["a","bc"] differ, null and "" differ, 1 and 1.0 and "1" differ). Lists keep
    /// their order as sent; the fields of a JSON object (AdditionalFields, ExternalProfile, ...) are written
    /// sorted by name (ordinal), so the order WeCom sent them in does not matter. Texts are written as their
    /// UTF-16 code units, so even text that is not valid Unicode is compared exactly. Only ever hashed or
    /// compared within one process: nothing here is stored.
    /// </summary>
    internal sealed class CanonicalForm
    {
        private const byte NullTag = 0;
        private const byte TextTag = 1;
        private const byte IntegerTag = 2;
        private const byte RealTag = 3;
        private const byte FalseTag = 4;
        private const byte TrueTag = 5;
        private const byte ListTag = 6;
        private const byte ObjectTag = 7;
        private const byte OtherTag = 8;

        private byte[] buffer = new byte[1024];
        private int length;

        public ReadOnlySpan<byte> Bytes => new(buffer, 0, length);

        public void Clear() => length = 0;

        public void Text(string? text)
        {
            if (text is null)
            {
                Tag(NullTag);
                return;
            }

            Tag(TextTag);
            Count(text.Length);
            ReadOnlySpan<byte> units = MemoryMarshal.AsBytes(text.AsSpan());
            Reserve(units.Length);
            units.CopyTo(buffer.AsSpan(length));
            length += units.Length;
        }

        public void Integer(long? value)
        {
            if (value is null)
            {
                Tag(NullTag);
                return;
            }

            Tag(IntegerTag);
            Reserve(8);
            BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(length, 8), value.Value);
            length += 8;
        }

        public void Real(double value)
        {
            Tag(RealTag);
            Reserve(8);
            BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(length, 8), BitConverter.DoubleToInt64Bits(value));
            length += 8;
        }

        public void Boolean(bool value) => Tag(value ? TrueTag : FalseTag);

        public void Integers(IReadOnlyList<long> items)
        {
            BeginList(items.Count);
            for (int i = 0; i < items.Count; i++)
            {
                Integer(items[i]);
            }
        }

        public void Integers(IReadOnlyList<int> items)
        {
            BeginList(items.Count);
            for (int i = 0; i < items.Count; i++)
            {
                Integer(items[i]);
            }
        }

        public void Texts(IReadOnlyList<string> items)
        {
            BeginList(items.Count);
            for (int i = 0; i < items.Count; i++)
            {
                Text(items[i]);
            }
        }

        public void BeginList(int count)
        {
            Tag(ListTag);
            Count(count);
        }

        /// <summary>An object of <paramref name="count"/> named values; each follows as <see cref="Name"/> then its value.</summary>
        public void BeginObject(int count)
        {
            Tag(ObjectTag);
            Count(count);
        }

        public void Name(string name) => Text(name);

        /// <summary>A JSON object kept as plain values: its fields sorted by name (ordinal), each name then its value.</summary>
        public void Fields(IReadOnlyDictionary<string, object?>? fields)
        {
            if (fields is null)
            {
                Tag(NullTag);
                return;
            }

            BeginObject(fields.Count);
            if (fields.Count == 0)
            {
                return;
            }

            foreach (string key in SortedKeys(fields))
            {
                Name(key);
                Value(fields[key]);
            }
        }

        /// <summary>A plain value (what <see cref="WeComRecord.AdditionalFields"/> holds), or anything else a caller put in a record.</summary>
        public void Value(object? value)
        {
            switch (value)
            {
                case null:
                    Tag(NullTag);
                    break;
                case string text:
                    Text(text);
                    break;
                case bool flag:
                    Boolean(flag);
                    break;
                case long or int or short or sbyte or byte or ushort or uint:
                    Integer(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    break;
                case double real:
                    Real(real);
                    break;
                case float single:
                    Real(single);
                    break;
                case IReadOnlyDictionary<string, object?> fields:
                    Fields(fields);
                    break;
                case IEnumerable items:
                    var list = new List<object?>();
                    foreach (object? item in items)
                    {
                        list.Add(item);
                    }

                    BeginList(list.Count);
                    foreach (object? item in list)
                    {
                        Value(item);
                    }

                    break;
                default:
                    // ulong beyond long, decimal, an enum, ...: their type and invariant text, so 1 (int) and "1" still differ.
                    Tag(OtherTag);
                    Text(value.GetType().FullName);
                    Text(Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
            }
        }

        internal static string[] SortedKeys(IReadOnlyDictionary<string, object?> fields)
        {
            var keys = new string[fields.Count];
            int i = 0;
            foreach (KeyValuePair<string, object?> field in fields)
            {
                keys[i++] = field.Key;
            }

            Array.Sort(keys, StringComparer.Ordinal);
            return keys;
        }

        private void Tag(byte tag)
        {
            Reserve(1);
            buffer[length++] = tag;
        }

        private void Count(int count)
        {
            Reserve(4);
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(length, 4), count);
            length += 4;
        }

        private void Reserve(int more)
        {
            if (length + more > buffer.Length)
            {
                Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + more));
            }
        }
    }
}

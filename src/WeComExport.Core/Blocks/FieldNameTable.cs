using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace WeComExport.Blocks
{
    /// <summary>
    /// Finds a record's known field from its UTF-8 property name without allocating: candidates are
    /// bucketed by length, so a lookup is one or two byte comparisons.
    /// </summary>
    internal sealed class FieldNameTable
    {
        private readonly byte[][][] namesByLength;
        private readonly int[][] idsByLength;
        private byte[] unescaped = new byte[64];

        /// <param name="names">The JSON name of each field id; index = id, entry 0 (unknown) is null.</param>
        public FieldNameTable(params string?[] names)
        {
            int longest = 0;
            foreach (string? name in names)
            {
                longest = Math.Max(longest, name?.Length ?? 0);
            }

            var names2 = new List<byte[]>[longest + 1];
            var ids = new List<int>[longest + 1];
            for (int id = 0; id < names.Length; id++)
            {
                if (names[id] is string name)
                {
                    byte[] bytes = Encoding.UTF8.GetBytes(name);
                    (names2[bytes.Length] ??= new List<byte[]>()).Add(bytes);
                    (ids[bytes.Length] ??= new List<int>()).Add(id);
                }
            }

            namesByLength = new byte[longest + 1][][];
            idsByLength = new int[longest + 1][];
            for (int length = 0; length <= longest; length++)
            {
                namesByLength[length] = names2[length]?.ToArray() ?? Array.Empty<byte[]>();
                idsByLength[length] = ids[length]?.ToArray() ?? Array.Empty<int>();
            }
        }

        /// <summary>The id of the property name the reader is on, or 0 when it is not a known field.</summary>
        /// <summary>
        /// Moves from a record's previous value to its next property and onto that property's value:
        /// the one loop step every record parser shares. <paramref name="unknownName"/> is set for names not in the table.
        /// </summary>
        public FieldStep Next(ref Utf8JsonReader reader, out int field, out string? unknownName)
        {
            field = 0;
            unknownName = null;
            if (!reader.Read())
            {
                return FieldStep.NeedMore;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return FieldStep.End;
            }

            field = Find(ref reader);
            unknownName = field == 0 ? reader.GetString() : null;
            return reader.Read() ? FieldStep.Value : FieldStep.NeedMore;
        }

        public int Find(ref Utf8JsonReader reader)
        {
            if (!reader.ValueIsEscaped)
            {
                return Find(reader.ValueSpan);
            }

            // An escaped name ("user\u0069d") is rare; unescape it into a reused buffer.
            if (unescaped.Length < reader.ValueSpan.Length)
            {
                unescaped = new byte[reader.ValueSpan.Length];
            }

            int length = reader.CopyString(unescaped);
            return Find(new ReadOnlySpan<byte>(unescaped, 0, length));
        }

        private int Find(ReadOnlySpan<byte> name)
        {
            if (name.Length >= namesByLength.Length)
            {
                return 0;
            }

            byte[][] candidates = namesByLength[name.Length];
            for (int i = 0; i < candidates.Length; i++)
            {
                if (name.SequenceEqual(candidates[i]))
                {
                    return idsByLength[name.Length][i];
                }
            }

            return 0;
        }
    }
}

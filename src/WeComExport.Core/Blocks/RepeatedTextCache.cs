using System;
using System.Text.Json;

namespace WeComExport.Blocks
{
    /// <summary>
    /// Shares one string among records for values that repeat across a block (gender, job titles,
    /// custom attribute names): a hit skips both the allocation and the UTF-8 transcoding, and a million
    /// records kept in memory hold one "后台工程师" instead of a million. Direct-mapped and bounded:
    /// a collision only costs a miss, never a wrong value (the bytes are compared in full).
    /// </summary>
    internal sealed class RepeatedTextCache
    {
        private const int SlotCount = 1024;
        private const int MaxCachedBytes = 64;

        private readonly byte[]?[] keys = new byte[SlotCount][];
        private readonly string?[] values = new string[SlotCount];

        /// <summary>Like <see cref="JsonFields.TryGetText"/>, sharing strings for short unescaped values.</summary>
        public bool TryGetText(ref Utf8JsonReader reader, out string? value)
        {
            if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.ValueSpan.Length > MaxCachedBytes)
            {
                return JsonFields.TryGetText(ref reader, out value);
            }

            ReadOnlySpan<byte> bytes = reader.ValueSpan;
            int slot = (int)(Hash(bytes) & (SlotCount - 1));
            byte[]? key = keys[slot];
            if (key is not null && bytes.SequenceEqual(key))
            {
                value = values[slot];
                return true;
            }

            value = reader.GetString()!;
            keys[slot] = bytes.ToArray();
            values[slot] = value;
            return true;
        }

        private static uint Hash(ReadOnlySpan<byte> bytes)
        {
            // FNV-1a: short values, so a byte loop is as fast as anything cleverer.
            uint hash = 2166136261;
            foreach (byte b in bytes)
            {
                hash = (hash ^ b) * 16777619;
            }

            return hash;
        }
    }
}

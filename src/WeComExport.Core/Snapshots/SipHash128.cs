using System;
using System.Buffers.Binary;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// SipHash-2-4 with its 128-bit output (Aumasson and Bernstein; the reference is veorq/SipHash). A keyed
    /// hash: with a key from a cryptographic RNG that never leaves the process, nobody can make two inputs
    /// collide on purpose, and chance collisions are 2^-128 per pair. Fast on small inputs (no native call per
    /// hash, unlike the BCL's hash algorithms on netstandard2.0), which is what a record's canonical form is.
    /// </summary>
    internal static class SipHash128
    {
        public static RecordHash Compute(ulong k0, ulong k1, ReadOnlySpan<byte> data)
        {
            ulong v0 = k0 ^ 0x736f6d6570736575UL;
            ulong v1 = k1 ^ 0x646f72616e646f6dUL ^ 0xeeUL;
            ulong v2 = k0 ^ 0x6c7967656e657261UL;
            ulong v3 = k1 ^ 0x7465646279746573UL;

            int whole = data.Length & ~7;
            for (int i = 0; i < whole; i += 8)
            {
                ulong m = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i, 8));
                v3 ^= m;
                Round(ref v0, ref v1, ref v2, ref v3);
                Round(ref v0, ref v1, ref v2, ref v3);
                v0 ^= m;
            }

            ulong last = (ulong)(data.Length & 0xFF) << 56;
            for (int i = data.Length - 1; i >= whole; i--)
            {
                last |= (ulong)data[i] << (8 * (i - whole));
            }

            v3 ^= last;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= last;

            v2 ^= 0xeeUL;
            for (int i = 0; i < 4; i++)
            {
                Round(ref v0, ref v1, ref v2, ref v3);
            }

            ulong low = v0 ^ v1 ^ v2 ^ v3;
            v1 ^= 0xddUL;
            for (int i = 0; i < 4; i++)
            {
                Round(ref v0, ref v1, ref v2, ref v3);
            }

            ulong high = v0 ^ v1 ^ v2 ^ v3;
            return new RecordHash(low, high);
        }

        private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
        {
            v0 += v1;
            v1 = RotateLeft(v1, 13);
            v1 ^= v0;
            v0 = RotateLeft(v0, 32);
            v2 += v3;
            v3 = RotateLeft(v3, 16);
            v3 ^= v2;
            v0 += v3;
            v3 = RotateLeft(v3, 21);
            v3 ^= v0;
            v2 += v1;
            v1 = RotateLeft(v1, 17);
            v1 ^= v2;
            v2 = RotateLeft(v2, 32);
        }

        private static ulong RotateLeft(ulong value, int bits) => (value << bits) | (value >> (64 - bits));
    }

    /// <summary>A 128-bit hash (the two 64-bit halves of SipHash-2-4-128's output, as it writes them little-endian).</summary>
    internal readonly struct RecordHash : IEquatable<RecordHash>
    {
        public RecordHash(ulong low, ulong high)
        {
            Low = low;
            High = high;
        }

        public ulong Low { get; }

        public ulong High { get; }

        public static bool operator ==(RecordHash left, RecordHash right) => left.Equals(right);

        public static bool operator !=(RecordHash left, RecordHash right) => !left.Equals(right);

        public bool Equals(RecordHash other) => Low == other.Low && High == other.High;

        public override bool Equals(object? obj) => obj is RecordHash other && Equals(other);

        // The bits are uniformly random already: any 32 of them make a good bucket hash.
        public override int GetHashCode() => unchecked((int)Low);

        /// <summary>The 16 bytes as SipHash's reference implementation outputs them, in lower-case hex.</summary>
        public override string ToString()
        {
            var bytes = new byte[16];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(0, 8), Low);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8, 8), High);
            return Blocks.BlockIntegrity.ToHex(bytes);
        }
    }
}

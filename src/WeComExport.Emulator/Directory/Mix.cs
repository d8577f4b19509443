namespace WeComExport.Emulator.Directory
{
    /// <summary>
    /// SplitMix64 hashing: every synthetic value is a pure function of (seed, index, salt), so any
    /// member can be produced on its own, in any order, on any thread, with the same result.
    /// </summary>
    internal static class Mix
    {
        public static ulong Hash(ulong a, ulong b, ulong c) => Step(Step(Step(a) ^ b) ^ c);

        public static ulong Hash(ulong a, ulong b, ulong c, ulong d) => Step(Hash(a, b, c) ^ d);

        /// <summary>A value in [0, n) from a hash.</summary>
        public static int Pick(ulong hash, int n) => (int)(hash % (ulong)n);

        private static ulong Step(ulong z)
        {
            unchecked
            {
                z += 0x9E3779B97F4A7C15UL;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                return z ^ (z >> 31);
            }
        }
    }
}

using System;

namespace WeComExport.Internal
{
    /// <summary>Where JSON text really starts: past JSON's white space, and at the very start past a UTF-8 byte order mark.</summary>
    internal static class JsonWhiteSpace
    {
        /// <summary>The index of the first byte from <paramref name="from"/> on that is not space, tab, CR or LF; the length when none is.</summary>
        public static int Skip(ReadOnlySpan<byte> bytes, int from)
        {
            int i = from;
            while (i < bytes.Length && bytes[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                i++;
            }

            return i;
        }

        /// <summary>The index of the first significant byte of a JSON text (after a byte order mark and white space); the length when none is.</summary>
        public static int FirstSignificant(ReadOnlySpan<byte> text) =>
            Skip(text, text.Length >= 3 && text[0] == 0xEF && text[1] == 0xBB && text[2] == 0xBF ? 3 : 0);
    }
}

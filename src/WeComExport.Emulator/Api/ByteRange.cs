using System;
using System.Globalization;

namespace WeComExport.Emulator.Api
{
    /// <summary>
    /// One "Range: bytes=..." request (RFC 9110 §14): "a-b", "a-" or "-n". A header this does not
    /// understand, or one with several ranges, is ignored (the whole body is served), as the RFC allows.
    /// </summary>
    internal readonly struct ByteRange
    {
        private ByteRange(long start, long length)
        {
            Start = start;
            Length = length;
        }

        public long Start { get; }

        public long Length { get; }

        public long End => Start + Length - 1;

        public enum Outcome
        {
            /// <summary>No usable Range header: serve everything with 200.</summary>
            Whole,

            /// <summary>Serve the range with 206.</summary>
            Partial,

            /// <summary>Answer 416 with "Content-Range: bytes */size".</summary>
            Unsatisfiable,
        }

        public static Outcome Parse(string? header, long size, out ByteRange range)
        {
            range = new ByteRange(0, size);
            if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
            {
                return Outcome.Whole;
            }

            string spec = header[6..].Trim();
            int dash = spec.IndexOf('-', StringComparison.Ordinal);
            if (spec.Contains(',', StringComparison.Ordinal) || dash < 0)
            {
                return Outcome.Whole;
            }

            string first = spec[..dash].Trim();
            string last = spec[(dash + 1)..].Trim();
            if (first.Length == 0)
            {
                if (!TryParse(last, out long suffix))
                {
                    return Outcome.Whole;
                }

                if (suffix == 0)
                {
                    return Outcome.Unsatisfiable;
                }

                long n = Math.Min(suffix, size);
                range = new ByteRange(size - n, n);
                return Outcome.Partial;
            }

            if (!TryParse(first, out long start))
            {
                return Outcome.Whole;
            }

            long end = size - 1;
            if (last.Length > 0)
            {
                if (!TryParse(last, out end) || end < start)
                {
                    return Outcome.Whole;
                }
            }

            if (start >= size)
            {
                return Outcome.Unsatisfiable;
            }

            end = Math.Min(end, size - 1);
            range = new ByteRange(start, end - start + 1);
            return Outcome.Partial;
        }

        private static bool TryParse(string text, out long value) =>
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}

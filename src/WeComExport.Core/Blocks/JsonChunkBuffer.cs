using System;
using System.IO;
using System.Text.Json;

namespace WeComExport.Blocks
{
    /// <summary>
    /// A refillable window over a JSON stream for Utf8JsonReader. Parsers commit after each complete unit
    /// (a token, a record); when the window ends inside a unit they refill and retry from the last
    /// commit. The window only grows when a single unit is larger than it, so memory is bounded by the
    /// largest record, not by the block, and never past <see cref="MaxUnitBytes"/>.
    /// </summary>
    internal sealed class JsonChunkBuffer
    {
        internal const int DefaultSize = 128 * 1024;

        /// <summary>
        /// The largest unit (one record, or one value of it) held whole: a WeCom record is a few kilobytes, so a larger
        /// one is damage or an attack, refused before it fills memory (or overflows the window's size past 2 GB).
        /// </summary>
        internal const int MaxUnitBytes = 64 * 1024 * 1024;

        private readonly Stream stream;
        private byte[] buffer;
        private int start;
        private int end;
        private int readerStart;
        private long discarded;
        private bool endOfStream;
        private bool started;
        private JsonReaderState state;

        public JsonChunkBuffer(Stream stream, int initialSize = DefaultSize)
        {
            this.stream = stream;
            buffer = new byte[initialSize];
        }

        /// <summary>The window's size now: it stays at the initial size unless one record is larger.</summary>
        public int Capacity => buffer.Length;

        /// <summary>A reader from the last commit to the end of the bytes read so far.</summary>
        public Utf8JsonReader CreateReader()
        {
            readerStart = start;
            return new Utf8JsonReader(new ReadOnlySpan<byte>(buffer, start, end - start), endOfStream, state);
        }

        /// <summary>Marks everything <paramref name="reader"/> has read as done.</summary>
        public void Commit(ref Utf8JsonReader reader)
        {
            start = readerStart + (int)reader.BytesConsumed;
            state = reader.CurrentState;
        }

        /// <summary>A copy of the current reader's bytes from <paramref name="readerOffset"/> up to <paramref name="readerEnd"/>.</summary>
        public byte[] CopyOf(long readerOffset, long readerEnd)
        {
            var copy = new byte[checked((int)(readerEnd - readerOffset))];
            Buffer.BlockCopy(buffer, readerStart + (int)readerOffset, copy, 0, copy.Length);
            return copy;
        }

        /// <summary>The current reader's bytes from <paramref name="readerOffset"/> to the end of those read so far.</summary>
        public ReadOnlySpan<byte> RestOf(long readerOffset) => new(buffer, readerStart + (int)readerOffset, end - readerStart - (int)readerOffset);

        /// <summary>The position in the stream of an offset within the current reader's bytes.</summary>
        public long PositionOf(long readerOffset) => discarded + readerStart + readerOffset;

        /// <summary>Reads more of the stream into the window; false when the stream had already ended.</summary>
        public bool Refill()
        {
            if (endOfStream)
            {
                return false;
            }

            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                discarded += start;
                end -= start;
                start = 0;
            }
            else if (end == buffer.Length)
            {
                if (buffer.Length >= MaxUnitBytes)
                {
                    throw new ExportFormatException(
                        $"more than {MaxUnitBytes / (1024 * 1024)} MB pass without the end of a record or of a value in it (one record, one value, or the space between two is longer than that); a WeCom record is a few kilobytes.",
                        discarded + start);
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxUnitBytes));
            }

            // Fill the window: the fewer refills, the fewer records parsed twice.
            while (end < buffer.Length)
            {
                int read = stream.Read(buffer, end, buffer.Length - end);
                if (read == 0)
                {
                    endOfStream = true;
                    break;
                }

                end += read;
            }

            SkipByteOrderMark();
            return true;
        }

        private void SkipByteOrderMark()
        {
            if (!started && (end >= 3 || endOfStream))
            {
                started = true;
                if (end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
                {
                    start = 3;
                }
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using WeComExport.Blocks;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// Writes one Excel-ready CSV file row by row (docs/design.md, "Excel-ready CSV"): UTF-8 with a
    /// byte-order mark, CRLF after every row, RFC 4180 quoting, and the formula guard, a leading
    /// apostrophe on a cell that begins with <c>= + - @</c>, TAB, CR or an apostrophe. The bytes are
    /// counted and SHA-256-hashed as they go to the file, so the manifest entry needs no second read.
    /// The file is a new temporary file, the owner's only on Unix (<see cref="OutputFolder.CreateTemp"/>).
    /// </summary>
    internal sealed class CsvFileWriter : IDisposable
    {
        private const int BufferSize = 64 * 1024;

        private static readonly byte[] ByteOrderMark = { 0xEF, 0xBB, 0xBF };

        // Outside quotes these would end the cell or the row, or lose the cell's exact text.
        private static readonly char[] QuoteTriggers = { ',', '"', '\r', '\n', '\t' };

        private readonly FileStream file;
        private readonly HashingStream hashing;
        private readonly StreamWriter text;
        private bool rowStarted;
        private bool completed;

        public CsvFileWriter(string tempPath)
        {
            file = OutputFolder.CreateTemp(tempPath, BufferSize);
            try
            {
                hashing = new HashingStream(file);
                hashing.Write(ByteOrderMark, 0, ByteOrderMark.Length);

                // No BOM from the encoding itself (written above, once); an unpaired surrogate, which WeCom's
                // JSON cannot carry through the reader anyway, would become U+FFFD rather than fail the file.
                text = new StreamWriter(hashing, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false), BufferSize)
                {
                    NewLine = "\r\n",
                };
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        /// <summary>Data rows ended so far (the header is not one).</summary>
        public long Rows { get; private set; }

        /// <summary>
        /// Whether <paramref name="value"/> is written with an apostrophe in front: it begins with a character
        /// that makes a spreadsheet read the cell as a formula (<c>= + - @</c>, TAB, CR), or with an apostrophe
        /// itself, so that "drop one leading apostrophe" gives back every value exactly.
        /// </summary>
        public static bool NeedsFormulaGuard(string value) =>
            value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\'';

        /// <summary>The header row; not counted in <see cref="Rows"/>.</summary>
        public void WriteHeader(IEnumerable<string> names)
        {
            foreach (string name in names)
            {
                Cell(name);
            }

            text.Write("\r\n");
            rowStarted = false;
        }

        public void Cell(string? value)
        {
            if (rowStarted)
            {
                text.Write(',');
            }

            rowStarted = true;
            if (string.IsNullOrEmpty(value))
            {
                return;
            }

            bool guard = NeedsFormulaGuard(value!);
            bool quote = guard || value![0] == ' ' || value[value.Length - 1] == ' ' || value.IndexOfAny(QuoteTriggers) >= 0;
            if (!quote)
            {
                text.Write(value);
                return;
            }

            text.Write('"');
            if (guard)
            {
                text.Write('\'');
            }

            int start = 0;
            for (int at = value!.IndexOf('"'); at >= 0; at = value.IndexOf('"', at + 1))
            {
                text.Write(value.Substring(start, at + 1 - start));
                text.Write('"');
                start = at + 1;
            }

            text.Write(start == 0 ? value : value.Substring(start));
            text.Write('"');
        }

        public void Cell(long? value) => Cell(value?.ToString(CultureInfo.InvariantCulture));

        public void EndRow()
        {
            text.Write("\r\n");
            rowStarted = false;
            Rows++;
        }

        /// <summary>Flushes everything to disk (before the rename that publishes the file) and describes the file as it will be named.</summary>
        public SnapshotFile Complete(string name)
        {
            text.Flush();
            file.Flush(flushToDisk: true);
            completed = true;
            return new SnapshotFile(name, hashing.Length, hashing.Sha256Hex(), Rows);
        }

        public void Dispose()
        {
            try
            {
                text.Dispose();
            }
            catch (IOException) when (!completed)
            {
                // The write already failed (a full disk): the temporary file is deleted, and the first failure is the one to report.
            }
            finally
            {
                hashing.Dispose();
                file.Dispose();
            }
        }

        /// <summary>Passes writes through to the file while counting and hashing them.</summary>
        private sealed class HashingStream : Stream
        {
            private readonly Stream inner;
            private readonly IncrementalHash sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            private long written;

            public HashingStream(Stream inner)
            {
                this.inner = inner;
            }

            public override bool CanRead => false;

            public override bool CanSeek => false;

            public override bool CanWrite => true;

            public override long Length => written;

            public override long Position
            {
                get => written;
                set => throw new NotSupportedException();
            }

            public string Sha256Hex()
            {
                byte[] hash = sha256.GetHashAndReset();
                var hex = new StringBuilder(hash.Length * 2);
                foreach (byte b in hash)
                {
                    hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
                }

                return hex.ToString();
            }

            public override void Write(byte[] buffer, int offset, int count)
            {
                inner.Write(buffer, offset, count);
                sha256.AppendData(buffer, offset, count);
                written += count;
            }

            public override void Flush() => inner.Flush();

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    sha256.Dispose();
                }

                // The file is the writer's to close: it is flushed to disk before it is let go.
                base.Dispose(disposing);
            }
        }
    }
}

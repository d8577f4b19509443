using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using WeComExport.Blocks;
using WeComExport.Internal;

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
        private readonly Sha256PassThrough hashing;
        private readonly StreamWriter text;
        private bool rowStarted;

        // Text written since the last flush: bytes copied in go after it.
        private bool textPending;
        private bool completed;

        public CsvFileWriter(string tempPath)
        {
            file = OutputFolder.CreateTemp(tempPath, BufferSize);
            try
            {
                hashing = new Sha256PassThrough(file);
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

        /// <summary>Bytes written so far, byte-order mark and buffered bytes included: where the next row starts.</summary>
        public long Length
        {
            get
            {
                text.Flush();
                return file.Position;
            }
        }

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
            textPending = true;
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

        /// <summary>Appends bytes of whole rows written by another writer; <see cref="CountCopiedRows"/> counts them.</summary>
        public void CopyRows(byte[] buffer, int offset, int count)
        {
            if (textPending)
            {
                text.Flush();
                textPending = false;
            }

            text.BaseStream.Write(buffer, offset, count);
        }

        public void CountCopiedRows(long rows) => Rows += rows;

        public void EndRow()
        {
            text.Write("\r\n");
            rowStarted = false;
            textPending = true;
            Rows++;
        }

        /// <summary>Flushes everything to disk (before the rename that publishes the file) and describes the file as it will be named.</summary>
        public SnapshotFile Complete(string name)
        {
            text.Flush();
            file.Flush(flushToDisk: true);
            completed = true;
            return new SnapshotFile(name, hashing.Count, hashing.Sha256Hex(), Rows);
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
    }
}

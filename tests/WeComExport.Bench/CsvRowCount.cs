using System;
using System.IO;

namespace WeComExport.Bench
{
    /// <summary>
    /// Counts the data rows of a CSV file as Export-Csv writes it (header line first; quoted fields may hold
    /// newlines), so the harness can check that a CSV measure wrote every record without timing the check.
    /// </summary>
    internal static class CsvRowCount
    {
        public static long Count(string path)
        {
            using FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var buffer = new byte[1 << 17];
            bool quoted = false;
            long lines = 0;
            byte last = (byte)'\n';
            int read;
            while ((read = file.Read(buffer, 0, buffer.Length)) > 0)
            {
                foreach (byte b in buffer.AsSpan(0, read))
                {
                    if (b == (byte)'"')
                    {
                        quoted = !quoted;
                    }
                    else if (b == (byte)'\n' && !quoted)
                    {
                        lines++;
                    }
                }

                last = buffer[read - 1];
            }

            if (last != (byte)'\n')
            {
                lines++; // a last line without its newline
            }

            return Math.Max(0, lines - 1);
        }
    }
}

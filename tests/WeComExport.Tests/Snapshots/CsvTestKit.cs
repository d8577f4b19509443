using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using Microsoft.VisualBasic.FileIO;
using WeComExport.Export;
using WeComExport.Snapshots;

namespace WeComExport.Tests.Snapshots
{
    /// <summary>A snapshot folder in the temp folder, with decrypted block files written as WeCom sends them.</summary>
    internal sealed class CsvSnapshotFolder : IDisposable
    {
        private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public CsvSnapshotFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wecom-csv-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        /// <summary>Writes one block file of <paramref name="document"/> serialised as JSON (raw UTF-8 Chinese, as WeCom sends it).</summary>
        public SnapshotFile Block(string name, object document) => RawBlock(name, JsonSerializer.Serialize(document, Json));

        public SnapshotFile RawBlock(string name, string json)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            File.WriteAllBytes(System.IO.Path.Combine(Path, name), bytes);
            return new SnapshotFile(name, bytes.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), 0);
        }

        public static SnapshotExport ExportOf(ExportKind kind, params SnapshotFile[] files) => ExportOf(kind, null, null, files);

        public static SnapshotExport ExportOf(ExportKind kind, long? tagId, string? tagName, params SnapshotFile[] files) =>
            new(kind, "jobid_" + kind + tagId, tagId, tagName, files.Length, 0, files);

        public IReadOnlyList<SnapshotFile> Write(params SnapshotExport[] exports) =>
            SnapshotCsv.WriteAsync(Path, exports, CancellationToken.None).GetAwaiter().GetResult();

        public byte[] Bytes(string name) => File.ReadAllBytes(System.IO.Path.Combine(Path, name));

        /// <summary>The CSV file parsed by the test's own RFC 4180 reader, checked against TextFieldParser's reading.</summary>
        public CsvTable Table(string name)
        {
            byte[] bytes = Bytes(name);
            List<string[]> rows = Rfc4180.Parse(bytes);
            List<string[]> other = Rfc4180.ParseWithTextFieldParser(System.IO.Path.Combine(Path, name));
            if (rows.Count != other.Count || rows.Zip(other).Any(pair => !pair.First.SequenceEqual(pair.Second)))
            {
                throw new InvalidOperationException($"{name}: the test's RFC 4180 reader and TextFieldParser read the file differently.");
            }

            return new CsvTable(rows);
        }

        public string[] FilesInFolder() => Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    /// <summary>A parsed CSV: the header and the data rows, read by column name.</summary>
    internal sealed class CsvTable
    {
        public CsvTable(List<string[]> rows)
        {
            Header = rows[0];
            Rows = rows.Skip(1).ToList();
            foreach (string[] row in Rows)
            {
                if (row.Length != Header.Length)
                {
                    throw new InvalidOperationException($"a row has {row.Length} fields, the header {Header.Length}");
                }
            }
        }

        public string[] Header { get; }

        public List<string[]> Rows { get; }

        /// <summary>The cell as written (formula guard included).</summary>
        public string Raw(int row, string column)
        {
            int index = Array.IndexOf(Header, column);
            if (index < 0)
            {
                throw new ArgumentException($"no column {column}", nameof(column));
            }

            return Rows[row][index];
        }

        /// <summary>The cell's value: the documented reading drops one leading apostrophe (the formula guard).</summary>
        public string Value(int row, string column) => Cells.Unguard(Raw(row, column));
    }

    /// <summary>Reading cells back as docs/design.md ("Excel-ready CSV") says.</summary>
    internal static class Cells
    {
        public static string Unguard(string cell) => cell.StartsWith('\'') ? cell.Substring(1) : cell;

        /// <summary>Splits a list cell on unescaped ';', a backslash taking the next character literally.</summary>
        public static List<string> SplitList(string cell) => Split(cell, ';');

        /// <summary>Splits one path on unescaped '/' into department names.</summary>
        public static List<string> SplitPath(string path) => Split(path, '/');

        /// <summary>Splits a DepartmentPath cell into paths without unescaping (each stays a path to split with <see cref="SplitPath"/>).</summary>
        public static List<string> SplitPaths(string cell)
        {
            var paths = new List<string>();
            var current = new StringBuilder();
            for (int i = 0; i < cell.Length; i++)
            {
                if (cell[i] == '\\' && i + 1 < cell.Length)
                {
                    current.Append(cell[i]).Append(cell[++i]);
                }
                else if (cell[i] == ';')
                {
                    paths.Add(current.ToString());
                    current.Clear();
                }
                else
                {
                    current.Append(cell[i]);
                }
            }

            paths.Add(current.ToString());
            return cell.Length == 0 ? new List<string>() : paths;
        }

        private static List<string> Split(string cell, char separator)
        {
            var items = new List<string>();
            if (cell.Length == 0)
            {
                return items;
            }

            var current = new StringBuilder();
            for (int i = 0; i < cell.Length; i++)
            {
                char c = cell[i];
                if (c == '\\')
                {
                    if (i + 1 == cell.Length)
                    {
                        throw new FormatException("a list ends in a lone backslash");
                    }

                    current.Append(cell[++i]);
                }
                else if (c == separator)
                {
                    items.Add(current.ToString());
                    current.Clear();
                }
                else
                {
                    current.Append(c);
                }
            }

            items.Add(current.ToString());
            return items;
        }
    }

    /// <summary>A strict RFC 4180 reader written for the tests (UTF-8 with BOM, CRLF after every record).</summary>
    internal static class Rfc4180
    {
        public static List<string[]> Parse(byte[] bytes)
        {
            if (bytes.Length < 3 || bytes[0] != 0xEF || bytes[1] != 0xBB || bytes[2] != 0xBF)
            {
                throw new FormatException("no UTF-8 byte-order mark");
            }

            string text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 3, bytes.Length - 3);
            var rows = new List<string[]>();
            var row = new List<string>();
            var field = new StringBuilder();
            int i = 0;
            while (i < text.Length)
            {
                field.Clear();
                if (text[i] == '"')
                {
                    i++;
                    while (true)
                    {
                        if (i >= text.Length)
                        {
                            throw new FormatException("a quoted field is not closed");
                        }

                        if (text[i] == '"')
                        {
                            if (i + 1 < text.Length && text[i + 1] == '"')
                            {
                                field.Append('"');
                                i += 2;
                                continue;
                            }

                            i++;
                            break;
                        }

                        field.Append(text[i++]);
                    }
                }
                else
                {
                    while (i < text.Length && text[i] != ',' && text[i] != '\r')
                    {
                        if (text[i] is '"' or '\n')
                        {
                            throw new FormatException($"a bare {(text[i] == '"' ? "quote" : "line feed")} in an unquoted field at {i}");
                        }

                        field.Append(text[i++]);
                    }
                }

                row.Add(field.ToString());
                if (i < text.Length && text[i] == ',')
                {
                    i++;
                    if (i == text.Length)
                    {
                        throw new FormatException("the file ends after a comma");
                    }

                    continue;
                }

                if (i + 1 < text.Length && text[i] == '\r' && text[i + 1] == '\n')
                {
                    i += 2;
                    rows.Add(row.ToArray());
                    row.Clear();
                    continue;
                }

                throw new FormatException($"a record does not end in CRLF at {i}");
            }

            if (row.Count > 0)
            {
                throw new FormatException("the last record has no CRLF");
            }

            return rows;
        }

        /// <summary>Microsoft.VisualBasic's reader, as a second opinion (whitespace kept).</summary>
        public static List<string[]> ParseWithTextFieldParser(string path)
        {
            var rows = new List<string[]>();
            using var parser = new TextFieldParser(path, Encoding.UTF8) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
            parser.SetDelimiters(",");
            while (!parser.EndOfData)
            {
                rows.Add(parser.ReadFields()!);
            }

            return rows;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using WeComExport.Blocks;
using WeComExport.Records;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// members.csv written as the members arrive, in one pass (a snapshot writes them while it receives the export,
    /// so no block file has to be read back for them). The header names one column per extended attribute, in order
    /// of first appearance, so it is written once the first member's names are known, and the rows follow it in the
    /// same file. When a later member names an attribute the header lacks, the file is rewritten at the end with the
    /// whole header, and each row written before that name appeared gets an empty cell per later name, before its last
    /// cell (AdditionalFields). Memory holds the departments, the attribute names and where the rows' width changed
    /// (at most once per name), never the rows.
    /// </summary>
    internal sealed class MemberRows : IDisposable
    {
        // What people read first, then the rest; the extended attributes and AdditionalFields follow.
        private static readonly string[] FixedColumns =
        {
            "UserId", "Name", "Department", "DepartmentName", "DepartmentPath", "Position", "Mobile", "Email",
            "Status", "StatusText", "Gender", "GenderText", "MainDepartment", "MainDepartmentName",
            "IsLeaderInDept", "DirectLeader", "Alias", "EnglishName", "Telephone", "BizMail", "Address",
            "ExternalPosition", "Order", "OpenUserId", "Avatar", "ThumbAvatar", "QrCode", "ExternalProfile",
        };

        private readonly string rowsPath;
        private readonly CsvFileWriter rows;
        private long headerEnd = -1;
        private readonly DepartmentDirectory departments;
        private readonly ExtAttrColumns columns;
        private readonly JsonCell json = new();
        private readonly StringBuilder ids = new();
        private readonly StringBuilder names = new();
        private readonly StringBuilder paths = new();

        // Where the rows' width changed: the rows before End (a byte offset in the rows file) have Width attribute cells.
        // Empty while every row is as wide as the header written first.
        private readonly List<(long End, int Width)> narrowerRows = new();
        private string?[] extAttrValues;
        private bool rowsClosed;

        /// <param name="folder">Where the rows file is written (a temporary file: it becomes members.csv's, or is removed by <see cref="Dispose"/>).</param>
        /// <param name="departments">The department names and paths beside each member's department ids.</param>
        /// <param name="known">Attribute names already known (their columns come first); null: none.</param>
        public MemberRows(string folder, DepartmentDirectory departments, ExtAttrColumns? known)
        {
            this.departments = departments ?? throw new ArgumentNullException(nameof(departments));
            columns = known ?? new ExtAttrColumns();
            extAttrValues = new string?[columns.Count];
            rowsPath = OutputFolder.TempPathFor(Path.Combine(folder, SnapshotCsv.MembersFileName));
            rows = new CsvFileWriter(rowsPath);
        }

        /// <summary>The departments the rows name (their names and paths).</summary>
        public DepartmentDirectory Departments => departments;

        /// <summary>Rows written so far.</summary>
        public long Count => rows.Rows;

        /// <summary>Writes the member's row. More than <see cref="SnapshotCsv.MaxExtAttrColumns"/> attribute names is <see cref="Api.WeComErrors.CsvTooManyColumns"/>.</summary>
        public void Add(WeComUser user)
        {
            if (user is null)
            {
                throw new ArgumentNullException(nameof(user));
            }

            // The attribute cells first: a name not seen before widens the rows from this one on.
            int width = extAttrValues.Length;
            Array.Clear(extAttrValues, 0, width);
            bool cellsHoldAll = true;
            if (user.ExtAttr is not null)
            {
                foreach (WeComExtAttrItem attr in user.ExtAttr.Attrs)
                {
                    int column = columns.ColumnOf(attr.Name ?? string.Empty);
                    if (column >= extAttrValues.Length)
                    {
                        Array.Resize(ref extAttrValues, columns.Count);
                    }

                    // A name twice in one member (WeCom's names are unique per corp) keeps the first value in the cell.
                    // An item of a shape the cell rules do not know (a future type, a value that is no object) keeps
                    // what it holds as JSON rather than an empty cell.
                    cellsHoldAll &= extAttrValues[column] is null && ExtAttrCells.HoldsAll(attr);
                    extAttrValues[column] ??= ExtAttrCells.Value(attr)
                        ?? (attr.AdditionalFields.Count == 0 ? string.Empty : json.Of(attr.AdditionalFields));
                }
            }

            if (headerEnd < 0)
            {
                WriteHeader();
            }
            else if (extAttrValues.Length != width)
            {
                narrowerRows.Add((rows.Length, width));
            }

            ids.Clear();
            names.Clear();
            paths.Clear();
            for (int i = 0; i < user.Department.Count; i++)
            {
                long id = user.Department[i];
                CsvLists.Append(ids, id.ToString(CultureInfo.InvariantCulture), i == 0);
                CsvLists.Append(names, CsvLists.Item(departments.NameOf(id)), i == 0);
                CsvLists.Append(paths, departments.PathOf(id), i == 0);
            }

            rows.Cell(user.UserId);
            rows.Cell(user.Name);
            rows.Cell(ids.ToString());
            rows.Cell(names.ToString());
            rows.Cell(paths.ToString());
            rows.Cell(user.Position);
            rows.Cell(user.Mobile);
            rows.Cell(user.Email);
            rows.Cell(user.Status);
            rows.Cell(SnapshotCsv.StatusText(user.Status));
            rows.Cell(user.Gender);
            rows.Cell(SnapshotCsv.GenderText(user.Gender));
            rows.Cell(user.MainDepartment);
            rows.Cell(user.MainDepartment is long main ? departments.NameOf(main) : null);
            rows.Cell(user.IsLeaderInDept.ToString());
            rows.Cell(SnapshotCsv.ItemList(user.DirectLeader));
            rows.Cell(user.Alias);
            rows.Cell(user.EnglishName);
            rows.Cell(user.Telephone);
            rows.Cell(user.BizMail);
            rows.Cell(user.Address);
            rows.Cell(user.ExternalPosition);
            rows.Cell(user.Order.ToString());
            rows.Cell(user.OpenUserId);
            rows.Cell(user.Avatar);
            rows.Cell(user.ThumbAvatar);
            rows.Cell(user.QrCode);
            rows.Cell(user.ExternalProfile is null ? null : json.Of(user.ExternalProfile));

            foreach (string? value in extAttrValues)
            {
                rows.Cell(value);
            }

            IReadOnlyDictionary<string, object?> additional = WithExtAttrExtras(user, cellsHoldAll);
            rows.Cell(additional.Count == 0 ? null : json.Of(additional));
            rows.EndRow();
        }

        /// <summary>
        /// Makes <paramref name="csvTemp"/> (a path where no file is) members.csv: the rows file itself when its header
        /// names every attribute, else a new file with the whole header and every row as wide as it. Once only; the rows
        /// file is complete and closed after it, whatever happens.
        /// </summary>
        public SnapshotFile WriteTo(string csvTemp, CancellationToken ct)
        {
            if (rowsClosed)
            {
                throw new InvalidOperationException("The member rows were already written to their CSV file.");
            }

            if (headerEnd < 0)
            {
                WriteHeader();
            }

            // Every byte on disk, so a full disk fails here and not as a short copy.
            SnapshotFile complete = rows.Complete(SnapshotCsv.MembersFileName);
            rows.Dispose();
            rowsClosed = true;
            if (narrowerRows.Count == 0)
            {
                File.Move(rowsPath, csvTemp);
                return complete;
            }

            long rowCount = complete.Records;

            using var csv = new CsvFileWriter(csvTemp);
            csv.WriteHeader(Header(columns.ByName));
            using (var input = new FileStream(rowsPath, FileMode.Open, FileAccess.Read, FileShare.Read, SnapshotCsv.ReadBufferSize, FileOptions.SequentialScan))
            {
                input.Position = headerEnd;
                var buffer = new byte[SnapshotCsv.ReadBufferSize];
                var widening = new RowWidening(csv);
                foreach ((long end, int width) in narrowerRows)
                {
                    widening.Copy(input, buffer, end, columns.Count - width, ct);
                }

                int read;
                while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
                {
                    ct.ThrowIfCancellationRequested();
                    csv.CopyRows(buffer, 0, read);
                }
            }

            csv.CountCopiedRows(rowCount);
            return csv.Complete(SnapshotCsv.MembersFileName);
        }

        public void Dispose()
        {
            json.Dispose();
            if (!rowsClosed)
            {
                rows.Dispose();
                rowsClosed = true;
            }

            OutputFolder.TryDelete(rowsPath);
        }

        /// <summary>
        /// The member's AdditionalFields, and under "extattr" what its extattr object held that no cell holds: fields
        /// besides a list of attributes (attrs of another type, other fields), and, when the cells cannot hold all the
        /// attributes hold (a name twice, a mini program, an extra field, see <see cref="ExtAttrCells.HoldsAll"/>),
        /// every attribute as WeCom sent it under "attrs".
        /// </summary>
        private static IReadOnlyDictionary<string, object?> WithExtAttrExtras(WeComUser user, bool cellsHoldAll)
        {
            if (user.ExtAttr is not { } extAttr || (cellsHoldAll && extAttr.AdditionalFields.Count == 0))
            {
                return user.AdditionalFields;
            }

            var merged = new Dictionary<string, object?>(user.AdditionalFields.Count + 1, StringComparer.Ordinal);
            foreach (KeyValuePair<string, object?> field in user.AdditionalFields)
            {
                merged[field.Key] = field.Value;
            }

            if (cellsHoldAll)
            {
                merged["extattr"] = extAttr.AdditionalFields;
                return merged;
            }

            var extras = new Dictionary<string, object?>(StringComparer.Ordinal);
            var items = new object?[extAttr.Attrs.Count];
            for (int i = 0; i < items.Length; i++)
            {
                items[i] = ExtAttrCells.AsSent(extAttr.Attrs[i]);
            }

            extras["attrs"] = items;
            foreach (KeyValuePair<string, object?> field in extAttr.AdditionalFields)
            {
                extras[field.Key] = field.Value;
            }

            merged["extattr"] = extras;
            return merged;
        }

        private void WriteHeader()
        {
            rows.WriteHeader(Header(columns.ByName));
            headerEnd = rows.Length;
        }

        /// <summary>The fixed columns, one <c>ExtAttr.&lt;name&gt;</c> per attribute name, then AdditionalFields; no two alike even ignoring case (Import-Csv refuses that).</summary>
        private static List<string> Header(IReadOnlyDictionary<string, int> extAttrColumns)
        {
            var header = new List<string>(FixedColumns.Length + extAttrColumns.Count + 1);
            header.AddRange(FixedColumns);
            var taken = new HashSet<string>(FixedColumns, StringComparer.OrdinalIgnoreCase) { SnapshotCsv.AdditionalFieldsColumn };
            var byColumn = new string[extAttrColumns.Count];
            foreach (KeyValuePair<string, int> entry in extAttrColumns)
            {
                byColumn[entry.Value] = entry.Key;
            }

            foreach (string name in byColumn)
            {
                string column = SnapshotCsv.ExtAttrColumnPrefix + name;
                for (int n = 2; !taken.Add(column); n++)
                {
                    column = SnapshotCsv.ExtAttrColumnPrefix + name + " (" + n.ToString(CultureInfo.InvariantCulture) + ")";
                }

                header.Add(column);
            }

            header.Add(SnapshotCsv.AdditionalFieldsColumn);
            return header;
        }

        /// <summary>
        /// Copies rows this class wrote, each with empty cells inserted before its last cell. The rows are its own, so a
        /// byte scan finds their cells: a quote toggles quoting (a doubled quote twice), and outside quotes a comma ends a
        /// cell and CR LF a row (CR and LF in a value are always quoted). Those are ASCII bytes, never part of another
        /// character in UTF-8. One row is held at a time.
        /// </summary>
        private sealed class RowWidening
        {
            private readonly CsvFileWriter csv;
            private byte[] row = new byte[1024];
            private int rowLength;
            private int lastComma = -1;
            private bool quoted;

            public RowWidening(CsvFileWriter csv) => this.csv = csv;

            /// <summary>Copies the rows from where <paramref name="input"/> is to <paramref name="end"/>, each <paramref name="missing"/> cells wider.</summary>
            public void Copy(Stream input, byte[] buffer, long end, int missing, CancellationToken ct)
            {
                byte[] commas = new byte[missing];
                commas.AsSpan().Fill((byte)',');
                while (input.Position < end)
                {
                    ct.ThrowIfCancellationRequested();
                    int read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, end - input.Position));
                    if (read == 0)
                    {
                        throw new EndOfStreamException("The member rows file ended before the rows it was written with.");
                    }

                    for (int i = 0; i < read; i++)
                    {
                        byte b = buffer[i];
                        if (rowLength == row.Length)
                        {
                            Array.Resize(ref row, row.Length * 2);
                        }

                        row[rowLength++] = b;
                        if (b == (byte)'"')
                        {
                            quoted = !quoted;
                        }
                        else if (!quoted && b == (byte)',')
                        {
                            lastComma = rowLength - 1;
                        }
                        else if (!quoted && b == (byte)'\n')
                        {
                            // Every row has the fixed cells, so there is always a comma before its last cell.
                            csv.CopyRows(row, 0, lastComma);
                            csv.CopyRows(commas, 0, commas.Length);
                            csv.CopyRows(row, lastComma, rowLength - lastComma);
                            rowLength = 0;
                            lastComma = -1;
                        }
                    }
                }

                if (rowLength != 0)
                {
                    throw new InvalidDataException("The member rows file does not end a row where its width changed.");
                }
            }
        }
    }
}

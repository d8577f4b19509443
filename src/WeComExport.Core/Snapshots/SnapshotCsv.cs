using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Blocks;
using WeComExport.Export;
using WeComExport.Internal;
using WeComExport.Records;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// The Excel-ready CSV files of a snapshot folder (issue 9), written from the decrypted block files
    /// the snapshot holds (members.csv also from the rows a snapshot wrote as it received them, <see cref="MemberRows"/>):
    /// <c>members.csv</c>, <c>departments.csv</c> and <c>tag-members.csv</c>.
    /// UTF-8 with a byte-order mark, CRLF, RFC 4180 quoting, a formula guard, <c>;</c>-joined lists with
    /// <c>\</c> escapes, department names and paths beside the ids, one column per extended attribute.
    /// Streamed: memory holds the department map and the set of extended-attribute names, never the members.
    /// docs/design.md ("Excel-ready CSV") is the full description of the format.
    /// </summary>
    public static class SnapshotCsv
    {
        public const string MembersFileName = "members.csv";

        public const string DepartmentsFileName = "departments.csv";

        public const string TagMembersFileName = "tag-members.csv";

        /// <summary>The prefix of a member's extended-attribute columns: <c>ExtAttr.&lt;name&gt;</c>.</summary>
        public const string ExtAttrColumnPrefix = "ExtAttr.";

        /// <summary>At most this many distinct extended-attribute names (columns) in members.csv; more is <see cref="WeComErrors.CsvTooManyColumns"/>.</summary>
        public const int MaxExtAttrColumns = 1000;

        /// <summary>The last column of every CSV file: the fields WeCom sent that have no column of their own, as JSON.</summary>
        internal const string AdditionalFieldsColumn = "AdditionalFields";

        /// <summary>The buffer of each file read or copied.</summary>
        internal const int ReadBufferSize = 64 * 1024;

        private static readonly string[] DepartmentColumns =
        {
            "Id", "Name", "Path", "ParentId", "NameEn", "Order", "DepartmentLeader", AdditionalFieldsColumn,
        };

        private static readonly string[] TagMemberColumns =
        {
            "TagId", "TagName", "MemberType", "UserId", "Name", "DepartmentId", "DepartmentName", "DepartmentPath", AdditionalFieldsColumn,
        };

        /// <summary>
        /// Reads the block files <paramref name="exports"/> lists (names relative to <paramref name="folder"/>,
        /// in block order) and writes into <paramref name="folder"/> members.csv (from the one SimpleUser or User
        /// export), departments.csv (from the Department export) and tag-members.csv (every TagUser export), each
        /// only when its exports are there. Each file is written to a temporary file (the owner's only on Unix)
        /// and renamed into place once all of them are complete; on failure or cancellation none is published
        /// and the temporary files are deleted. Returns one <see cref="SnapshotFile"/> per CSV written, in that
        /// order (Records = data rows).
        /// </summary>
        /// <exception cref="ArgumentException">More than one member export or more than one department export.</exception>
        /// <exception cref="ExportFormatException">A block file is not its export's JSON (the message names the file).</exception>
        /// <exception cref="WeComException"><see cref="WeComErrors.CsvTooManyColumns"/>: more than <see cref="MaxExtAttrColumns"/> extended-attribute names.</exception>
        public static Task<IReadOnlyList<SnapshotFile>> WriteAsync(string folder, IReadOnlyList<SnapshotExport> exports, CancellationToken ct) =>
            WriteAsync(folder, exports, null, ct);

        /// <summary>
        /// As the public overload, but when <paramref name="memberRows"/> is given, members.csv is written from those rows
        /// (written as the member export was received) instead of from the member export's block files, which need not exist.
        /// </summary>
        internal static Task<IReadOnlyList<SnapshotFile>> WriteAsync(string folder, IReadOnlyList<SnapshotExport> exports, MemberRows? memberRows, CancellationToken ct)
        {
            if (string.IsNullOrEmpty(folder))
            {
                throw new ArgumentException("The snapshot folder path is empty.", nameof(folder));
            }

            if (exports is null)
            {
                throw new ArgumentNullException(nameof(exports));
            }

            string fullFolder = Path.GetFullPath(folder);
            Plan plan = Plan.From(exports);

            // The work is synchronous file and parse work (the reader is a forward-only enumerator): one
            // thread-pool thread for all of it, rather than an async hop per row.
            return Task.Run<IReadOnlyList<SnapshotFile>>(() => Write(fullFolder, plan, memberRows, ct), ct);
        }

        private static List<SnapshotFile> Write(string folder, Plan plan, MemberRows? memberRows, CancellationToken ct)
        {
            if (!Directory.Exists(folder))
            {
                throw new DirectoryNotFoundException($"The snapshot folder {folder} does not exist.");
            }

            OutputFolder.RemoveStaleTemps(folder);
            // A snapshot built the departments while it received them, for the member rows.
            DepartmentDirectory departments = memberRows?.Departments
                ?? (plan.Departments is null ? new DepartmentDirectory() : ReadDepartments(folder, plan.Departments, ct));

            var written = new List<(string Temp, string Destination, SnapshotFile File)>();
            try
            {
                if (memberRows is not null)
                {
                    written.Add(WriteFile(folder, MembersFileName, temp => memberRows.WriteTo(temp, ct)));
                }
                else if (plan.Members is not null)
                {
                    written.Add(WriteFile(folder, MembersFileName, temp => WriteMembers(folder, plan.Members, departments, temp, ct)));
                }

                if (plan.Departments is not null)
                {
                    written.Add(WriteFile(folder, DepartmentsFileName, temp => WriteDepartments(folder, plan.Departments, departments, temp, ct)));
                }

                if (plan.Tags.Count > 0)
                {
                    written.Add(WriteFile(folder, TagMembersFileName, temp => WriteTagMembers(folder, plan.Tags, departments, temp, ct)));
                }

                ct.ThrowIfCancellationRequested();
                var files = new List<SnapshotFile>(written.Count);
                for (int i = 0; i < written.Count; i++)
                {
                    OutputFolder.KeepTighterMode(written[i].Temp, written[i].Destination);
                    OutputFolder.Publish(written[i].Temp, written[i].Destination);
                    files.Add(written[i].File);
                    written[i] = default;
                }

                return files;
            }
            finally
            {
                foreach ((string temp, _, _) in written)
                {
                    if (temp is not null)
                    {
                        OutputFolder.TryDelete(temp);
                    }
                }
            }
        }

        /// <summary>Writes one CSV into a new temporary file beside its destination; deletes it when writing fails.</summary>
        private static (string Temp, string Destination, SnapshotFile File) WriteFile(string folder, string name, Func<string, SnapshotFile> write)
        {
            string destination = Path.Combine(folder, name);
            string temp = OutputFolder.TempPathFor(destination);
            try
            {
                return (temp, destination, write(temp));
            }
            catch
            {
                OutputFolder.TryDelete(temp);
                throw;
            }
        }

        private static DepartmentDirectory ReadDepartments(string folder, SnapshotExport export, CancellationToken ct)
        {
            var departments = new DepartmentDirectory();
            foreach (WeComDepartment department in ReadRecords<WeComDepartment>(folder, export, ct))
            {
                departments.Add(department);
            }

            return departments;
        }

        private static SnapshotFile WriteMembers(string folder, SnapshotExport export, DepartmentDirectory departments, string temp, CancellationToken ct)
        {
            using var rows = new MemberRows(folder, departments, null);
            foreach (WeComUser user in ReadRecords<WeComUser>(folder, export, ct))
            {
                rows.Add(user);
            }

            return rows.WriteTo(temp, ct);
        }

        private static SnapshotFile WriteDepartments(string folder, SnapshotExport export, DepartmentDirectory departments, string temp, CancellationToken ct)
        {
            using var csv = new CsvFileWriter(temp);
            csv.WriteHeader(DepartmentColumns);
            using var json = new JsonCell();
            foreach (WeComDepartment department in ReadRecords<WeComDepartment>(folder, export, ct))
            {
                csv.Cell(department.Id);
                csv.Cell(department.Name);
                csv.Cell(departments.PathOf(department.Id));
                csv.Cell(department.ParentId);
                csv.Cell(department.NameEn);
                csv.Cell(department.Order);
                csv.Cell(ItemList(department.DepartmentLeader));
                csv.Cell(department.AdditionalFields.Count == 0 ? null : json.Of(department.AdditionalFields));
                csv.EndRow();
            }

            return csv.Complete(DepartmentsFileName);
        }

        private static SnapshotFile WriteTagMembers(string folder, IReadOnlyList<SnapshotExport> tags, DepartmentDirectory departments, string temp, CancellationToken ct)
        {
            using var csv = new CsvFileWriter(temp);
            csv.WriteHeader(TagMemberColumns);
            using var json = new JsonCell();
            foreach (SnapshotExport export in tags)
            {
                foreach (WeComTagMember member in ReadRecords<WeComTagMember>(folder, export, ct))
                {
                    bool isDepartment = member.MemberType == WeComTagMemberType.Department;
                    csv.Cell(export.TagId);
                    csv.Cell(member.TagName ?? export.TagName);
                    csv.Cell(isDepartment ? "Department" : "User");
                    csv.Cell(member.UserId);
                    csv.Cell(member.Name);
                    csv.Cell(member.DepartmentId);
                    csv.Cell(member.DepartmentId is long id ? departments.NameOf(id) : null);
                    csv.Cell(member.DepartmentId is long pathId ? departments.PathOf(pathId) : null);
                    csv.Cell(member.AdditionalFields.Count == 0 ? null : json.Of(member.AdditionalFields));
                    csv.EndRow();
                }
            }

            return csv.Complete(TagMembersFileName);
        }

        internal static string? StatusText(int? status) => status switch
        {
            null => null,
            1 => "Active",
            2 => "Disabled",
            4 => "NotActivated",
            5 => "Left",
            _ => status.Value.ToString(CultureInfo.InvariantCulture),
        };

        internal static string? GenderText(string? gender) => gender switch
        {
            "0" => "Unknown",
            "1" => "Male",
            "2" => "Female",
            _ => gender,
        };

        internal static string ItemList(WeComList<string> items)
        {
            if (items.Count == 0)
            {
                return string.Empty;
            }

            var list = new StringBuilder();
            for (int i = 0; i < items.Count; i++)
            {
                CsvLists.Append(list, CsvLists.Item(items[i]), i == 0);
            }

            return list.ToString();
        }

        /// <summary>
        /// The records of one export's block files, file after file; a damaged file's error names it. They are parsed on
        /// another thread a few batches ahead (<see cref="ReadAhead"/>): parsing and writing rows take about as long each.
        /// </summary>
        private static IEnumerable<T> ReadRecords<T>(string folder, SnapshotExport export, CancellationToken ct)
            where T : WeComRecord => ReadAhead.Of(ParseRecords<T>(folder, export, ct), ct);

        private static IEnumerable<T> ParseRecords<T>(string folder, SnapshotExport export, CancellationToken ct)
            where T : WeComRecord
        {
            foreach (SnapshotFile file in export.Files)
            {
                using var stream = new FileStream(Path.Combine(folder, file.Name), FileMode.Open, FileAccess.Read, FileShare.Read, ReadBufferSize, FileOptions.SequentialScan);
                using IEnumerator<WeComRecord> records = ExportRecordReader.Read(stream, export.Kind, export.TagId, ct).GetEnumerator();
                while (true)
                {
                    bool more;
                    try
                    {
                        more = records.MoveNext();
                    }
                    catch (ExportFormatException e)
                    {
                        string message = $"The snapshot file {file.Name} ({export.Kind} export {export.JobId}): {e.Message}";
                        throw e is ExportKindMismatchException ? new ExportKindMismatchException(message, e) : new ExportFormatException(message, e);
                    }

                    if (!more)
                    {
                        break;
                    }

                    yield return (T)records.Current;
                }
            }
        }

        /// <summary>Which exports feed which file: at most one member export, at most one department export, any number of tags.</summary>
        private sealed class Plan
        {
            private Plan(SnapshotExport? members, SnapshotExport? departments, IReadOnlyList<SnapshotExport> tags)
            {
                Members = members;
                Departments = departments;
                Tags = tags;
            }

            public SnapshotExport? Members { get; }

            public SnapshotExport? Departments { get; }

            public IReadOnlyList<SnapshotExport> Tags { get; }

            public static Plan From(IReadOnlyList<SnapshotExport> exports)
            {
                SnapshotExport? members = null;
                SnapshotExport? departments = null;
                var tags = new List<SnapshotExport>();
                foreach (SnapshotExport export in exports)
                {
                    if (export is null || export.Files is null)
                    {
                        throw new ArgumentException("The list of exports holds an empty entry or one without files.", nameof(exports));
                    }

                    switch (export.Kind)
                    {
                        case ExportKind.SimpleUser or ExportKind.User:
                            members = members is null ? export : throw new ArgumentException($"The snapshot lists two member exports ({members.JobId}, {export.JobId}); {MembersFileName} is written from one.", nameof(exports));
                            break;
                        case ExportKind.Department:
                            departments = departments is null ? export : throw new ArgumentException($"The snapshot lists two department exports ({departments.JobId}, {export.JobId}); {DepartmentsFileName} is written from one.", nameof(exports));
                            break;
                        case ExportKind.TagUser:
                            tags.Add(export);
                            break;
                        default:
                            throw new ArgumentException($"The snapshot lists an export of unknown kind {export.Kind}.", nameof(exports));
                    }
                }

                return new Plan(members, departments, tags);
            }
        }
    }
}

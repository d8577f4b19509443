using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Blocks;
using WeComExport.Export;
using WeComExport.Records;
using WeComExport.Snapshots;

namespace WeComExport.Bench
{
    /// <summary>
    /// SnapshotCsv's throughput: one decrypted user block of N detailed members (MemberBlockWriter: every detail
    /// field, two extended attributes) and 501 departments, written to members.csv and departments.csv, best of
    /// the runs; beside it one bare records pass over the same block, and the rows alone (MemberRows) from members in memory.
    ///   dotnet run -c Release --project tests/WeComExport.Bench -- csv [members] [runs]
    /// </summary>
    internal static class CsvBench
    {
        public static async Task RunAsync(string[] args)
        {
            int members = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
            int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
            string folder = Path.Combine(Path.GetTempPath(), "wecom-csv-bench-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                string userBlock = Path.Combine(folder, "user.block0000.json");
                using (FileStream file = File.Create(userBlock))
                {
                    MemberBlockWriter.Write(file, members);
                }

                // Department 1 is the root, 2..501 hang in a tree three levels deep: the ids the members name.
                var departments = new StringBuilder("{\"department\":[");
                for (int id = 1; id <= 501; id++)
                {
                    long parent = id == 1 ? 0 : id <= 21 ? 1 : 2 + ((id - 22) % 20);
                    departments.Append(CultureInfo.InvariantCulture, $"{(id > 1 ? "," : string.Empty)}{{\"id\":{id},\"name\":\"部门{id}\",\"parentid\":{parent},\"order\":{id}}}");
                }

                departments.Append("]}");
                string departmentBlock = Path.Combine(folder, "department.block0000.json");
                File.WriteAllText(departmentBlock, departments.ToString(), new UTF8Encoding(false));

                long jsonBytes = new FileInfo(userBlock).Length;
                SnapshotExport[] exports =
                {
                    new(ExportKind.User, "jobid_user", null, null, 1, members, new[] { new SnapshotFile("user.block0000.json", jsonBytes, "-", members) }),
                    new(ExportKind.Department, "jobid_department", null, null, 1, 501, new[] { new SnapshotFile("department.block0000.json", new FileInfo(departmentBlock).Length, "-", 501) }),
                };
                Console.WriteLine($"block: {members:N0} detailed members, {jsonBytes / 1e6:F1} MB JSON; runtime {Environment.Version}, {Environment.ProcessorCount} cores");

                using Process self = Process.GetCurrentProcess();
                self.Refresh();
                long workingSetBefore = self.WorkingSet64;
                double bestCsv = double.MaxValue, bestCsvCpu = double.MaxValue, bestRead = double.MaxValue;
                IReadOnlyList<SnapshotFile> written = Array.Empty<SnapshotFile>();
                for (int run = 0; run < runs; run++)
                {
                    GC.Collect();
                    self.Refresh();
                    TimeSpan cpu = self.TotalProcessorTime;
                    var clock = Stopwatch.StartNew();
                    written = await SnapshotCsv.WriteAsync(folder, exports, CancellationToken.None);
                    bestCsv = Math.Min(bestCsv, clock.Elapsed.TotalSeconds);
                    self.Refresh();
                    bestCsvCpu = Math.Min(bestCsvCpu, (self.TotalProcessorTime - cpu).TotalSeconds);

                    GC.Collect();
                    clock.Restart();
                    long count = 0;
                    using (var stream = new FileStream(userBlock, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
                    {
                        foreach (WeComRecord record in ExportRecordReader.Read(stream, ExportKind.User, null, CancellationToken.None))
                        {
                            count++;
                        }
                    }

                    bestRead = Math.Min(bestRead, clock.Elapsed.TotalSeconds);
                    if (count != members)
                    {
                        throw new InvalidOperationException($"read {count} records, expected {members}");
                    }
                }

                // The rows alone: members.csv's rows written from records already in memory (up to 100,000 of them).
                var users = new List<WeComUser>();
                using (var stream = new FileStream(userBlock, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
                {
                    foreach (WeComRecord record in ExportRecordReader.Read(stream, ExportKind.User, null, CancellationToken.None))
                    {
                        if (users.Count == 100_000)
                        {
                            break;
                        }

                        users.Add((WeComUser)record);
                    }
                }

                var directory = new DepartmentDirectory();
                using (var stream = File.OpenRead(departmentBlock))
                {
                    foreach (WeComRecord record in ExportRecordReader.Read(stream, ExportKind.Department, null, CancellationToken.None))
                    {
                        directory.Add((WeComDepartment)record);
                    }
                }

                double bestRows = double.MaxValue;
                for (int run = 0; run < Math.Max(runs, 3); run++)
                {
                    GC.Collect();
                    using var rows = new MemberRows(folder, directory, null);
                    var clock = Stopwatch.StartNew();
                    foreach (WeComUser user in users)
                    {
                        rows.Add(user);
                    }

                    _ = rows.WriteTo(Path.Combine(folder, $".rows-bench-{run}.tmp"), CancellationToken.None);
                    bestRows = Math.Min(bestRows, clock.Elapsed.TotalSeconds);
                    File.Delete(Path.Combine(folder, $".rows-bench-{run}.tmp"));
                }

                self.Refresh();
                foreach (SnapshotFile file in written)
                {
                    Console.WriteLine($"  {file.Name}: {file.Records:N0} rows, {file.Bytes / 1e6:F1} MB");
                }

                Console.WriteLine($"rows alone (MemberRows, {users.Count:N0} members in memory, and the CSV file from them): best {bestRows:F2} s, {users.Count / bestRows:N0} rows/s");
                Console.WriteLine($"csv (departments + a member pass + writing): wall {bestCsv:F2} s, cpu {bestCsvCpu:F2} s, {members / bestCsv:N0} member rows/s");
                Console.WriteLine($"one bare records pass over the member block:  wall {bestRead:F2} s ({members / bestRead:N0} records/s)");
                Console.WriteLine($"working set: {workingSetBefore / 1e6:F0} MB before, peak {self.PeakWorkingSet64 / 1e6:F0} MB; GC heap after {GC.GetTotalMemory(true) / 1e6:F1} MB");
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}

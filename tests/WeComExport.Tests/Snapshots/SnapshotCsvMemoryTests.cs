using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Export;
using WeComExport.Snapshots;
using WeComExport.Tests.Blocks;
using Xunit;
using Xunit.Abstractions;

namespace WeComExport.Tests.Snapshots
{
    /// <summary>
    /// 200,000 members in 4 block files through SnapshotCsv while the live managed heap is sampled (full
    /// collections) from another thread: it must stay far below what the members would take if they were
    /// held. Runs alone, in the BoundedMemoryTests collection, because it measures the whole process's heap.
    /// </summary>
    [Collection(nameof(BoundedMemoryTests))]
    public sealed class SnapshotCsvMemoryTests : IDisposable
    {
        private const int Members = 200_000;
        private const int Blocks = 4;
        private const int Departments = 500;
        private const long AllowedGrowth = 16L * 1024 * 1024;

        private readonly ITestOutputHelper output;
        private readonly CsvSnapshotFolder snapshot = new();

        public SnapshotCsvMemoryTests(ITestOutputHelper output)
        {
            this.output = output;
        }

        public void Dispose() => snapshot.Dispose();

        [Fact]
        public async Task Writing_200000_members_keeps_the_live_heap_bounded()
        {
            var memberFiles = new List<SnapshotFile>();
            long jsonBytes = 0;
            for (int block = 0; block < Blocks; block++)
            {
                string name = $"user.block{block:D4}.json";
                WriteMemberBlock(Path.Combine(snapshot.Path, name), block * (Members / Blocks), Members / Blocks);
                long length = new FileInfo(Path.Combine(snapshot.Path, name)).Length;
                jsonBytes += length;
                memberFiles.Add(new SnapshotFile(name, length, "", Members / Blocks));
            }

            var departmentList = string.Join(",", Enumerable.Range(1, Departments).Select(i => $"{{\"id\":{i},\"name\":\"部门{i}\",\"parentid\":{(i == 1 ? 0 : 1 + (i / 10))}}}"));
            SnapshotFile departments = snapshot.RawBlock("department.block0000.json", "{\"department\":[" + departmentList + "]}");
            SnapshotExport[] exports =
            {
                CsvSnapshotFolder.ExportOf(ExportKind.User, memberFiles.ToArray()),
                CsvSnapshotFolder.ExportOf(ExportKind.Department, departments),
            };

            long baseline = GC.GetTotalMemory(forceFullCollection: true);
            long peak = baseline;
            int samples = 0;
            var clock = Stopwatch.StartNew();
            using var done = new ManualResetEventSlim();

            // A thread of its own: a sampler on the thread pool, which the writer keeps busy on two cores, got only 2-5
            // samples in a run, and failed the check below at 2.
            var sampler = new Thread(() =>
            {
                while (!done.Wait(20))
                {
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                    samples++;
                }
            });
            sampler.Start();
            IReadOnlyList<SnapshotFile> files;
            try
            {
                files = await SnapshotCsv.WriteAsync(snapshot.Path, exports, CancellationToken.None);
            }
            finally
            {
                done.Set();
                sampler.Join();
            }

            clock.Stop();

            long growth = peak - baseline;
            SnapshotFile members = files.Single(f => f.Name == SnapshotCsv.MembersFileName);
            output.WriteLine(
                $"{members.Records:N0} members ({jsonBytes / 1e6:F0} MB JSON) to {members.Bytes / 1e6:F0} MB of CSV in {clock.Elapsed.TotalSeconds:F1} s (two passes, {samples} full collections on the way); live heap grew by at most {growth / 1024.0 / 1024.0:F1} MB");
            Assert.Equal(Members, members.Records);
            Assert.True(samples >= 3, $"only {samples} samples: the run was too short to measure");
            Assert.True(growth < AllowedGrowth, $"the live heap grew by {growth} bytes while writing {Members} members");
        }

        /// <summary>Members written straight as text: department ids, an extended attribute, a position with a tab.</summary>
        private static void WriteMemberBlock(string path, int first, int count)
        {
            using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
            writer.Write("{\"userlist\":[");
            for (int i = first; i < first + count; i++)
            {
                if (i > first)
                {
                    writer.Write(',');
                }

                string n = i.ToString(CultureInfo.InvariantCulture);
                writer.Write(
                    "{\"userid\":\"user" + n + "\",\"name\":\"张三" + n + "\",\"department\":[1," + (2 + (i % (Departments - 1))).ToString(CultureInfo.InvariantCulture)
                    + "],\"position\":\"后台\\t工程师\",\"mobile\":\"+86 138" + n + "\",\"gender\":\"1\",\"email\":\"user" + n + "@example.com\",\"status\":1,"
                    + "\"extattr\":{\"attrs\":[{\"type\":0,\"name\":\"工号\",\"text\":{\"value\":\"A" + n + "\"}}]}}");
            }

            writer.Write("]}");
        }
    }
}

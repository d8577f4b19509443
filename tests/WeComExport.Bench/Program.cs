using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Bench;
using WeComExport.Blocks;
using WeComExport.Crypto;
using WeComExport.Export;
using WeComExport.Records;

// Benchmark of the block reader: one encrypted block of N detailed members (default 1,000,000).
//   dotnet run -c Release --project tests/WeComExport.Bench -- [members] [runs] [records]
// or, for SnapshotCsv (CsvBench.cs):  ... -- csv [members] [runs]
// or, against a running export (build.ps1 Bench): ... -- floor <job file> | engine <job file>
// Times, best of the runs: the MD5 pass the download does, decrypt only, decrypt + a bare
// Utf8JsonReader scan (baseline), and decrypt + records to the last one (the product's path).
if (args.Length > 0 && args[0] == "csv")
{
    await CsvBench.RunAsync(args[1..]);
    return;
}

// Measurement children of build.ps1 Bench (tests/bench/Invoke-Bench.ps1): ... -- floor|engine <job file>.
// Each prints one JSON line (BenchResult). And ... -- csvrows <file>: the data rows of an Export-Csv file.
if (args.Length == 2 && args[0] == "csvrows")
{
    Console.WriteLine(CsvRowCount.Count(args[1]).ToString(CultureInfo.InvariantCulture));
    return;
}

if (args.Length == 2 && args[0] is "floor" or "engine")
{
    BenchJob job = BenchJob.Load(args[1]);
    await (args[0] == "floor" ? FloorBench.RunAsync(job) : EngineBench.RunAsync(job));
    return;
}

int members = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
bool recordsOnly = args.Length > 2 && args[2] == "records"; // for a profiler: only the records pass
EncodingAesKey key = EncodingAesKey.Generate();
string folder = Path.Combine(Path.GetTempPath(), "wecom-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
string blockPath = Path.Combine(folder, "data_0.bin");
try
{
    var clock = Stopwatch.StartNew();
    long plainBytes;
    string plainPath = Path.Combine(folder, "data_0.json");
    using (FileStream plain = File.Create(plainPath))
    {
        MemberBlockWriter.Write(plain, members);
        plainBytes = plain.Length;
    }

    using (FileStream plain = File.OpenRead(plainPath))
    using (FileStream block = File.Create(blockPath))
    {
        await BlockEncryption.EncryptAsync(plain, block, key, CancellationToken.None);
    }

    File.Delete(plainPath);
    long cipherBytes = new FileInfo(blockPath).Length;
    Console.WriteLine($"block: {members:N0} members, {plainBytes / 1e6:F1} MB JSON, {cipherBytes / 1e6:F1} MB ciphertext, generated in {clock.Elapsed.TotalSeconds:F1} s");
    Console.WriteLine($"runtime: {Environment.Version}, {Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}");

    // The passes are interleaved and each keeps its best run, so a burst of load on a shared machine
    // hits all of them alike. CPU time (all threads, GC included) is reported beside wall time
    // because it is far less disturbed by other processes.
    var md5 = new Timing("md5 (download check)", cipherBytes);
    var decrypt = new Timing("decrypt", plainBytes);
    var scan = new Timing("decrypt + json scan", plainBytes);
    var read = new Timing("decrypt + records", plainBytes);
    long records = 0;
    for (int run = 0; run < runs; run++)
    {
        read.Measure(() => records = RecordPass(blockPath, key));
        if (recordsOnly)
        {
            continue;
        }

        md5.Measure(() => Md5Pass(blockPath));
        decrypt.Measure(() => DecryptPass(blockPath, key));
        scan.Measure(() => ScanPass(blockPath, key));
    }

    if (records != members)
    {
        throw new InvalidOperationException($"read {records} records, expected {members}");
    }

    md5.Report(null);
    decrypt.Report(null);
    scan.Report(null);
    read.Report(records);
    Console.WriteLine($"ratio, wall: (md5 + records) / (md5 + scan) = {(md5.Wall + read.Wall) / (md5.Wall + scan.Wall):F2}x; records / scan = {read.Wall / scan.Wall:F2}x");
    Console.WriteLine($"ratio, cpu:  (md5 + records) / (md5 + scan) = {(md5.Cpu + read.Cpu) / (md5.Cpu + scan.Cpu):F2}x; records / scan = {read.Cpu / scan.Cpu:F2}x");
    using var self = Process.GetCurrentProcess();
    Console.WriteLine($"peak working set: {self.PeakWorkingSet64 / 1e6:F0} MB; GC heap now {GC.GetTotalMemory(false) / 1e6:F0} MB; total allocated {GC.GetTotalAllocatedBytes() / 1e9:F1} GB");
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static void Md5Pass(string path)
{
    using FileStream file = OpenSequential(path);
    BlockIntegrity.CopyAndHashAsync(file, Stream.Null, null, CancellationToken.None).GetAwaiter().GetResult();
}

static void DecryptPass(string path, EncodingAesKey key)
{
    using Stream plain = BlockDecryption.OpenPlaintext(OpenSequential(path), key);
    plain.CopyTo(Stream.Null, 1 << 17);
}

// The baseline: the least any reader must do — decrypt and tokenise every byte — written here, apart from the module.
static void ScanPass(string path, EncodingAesKey key)
{
    using Stream plain = BlockDecryption.OpenPlaintext(OpenSequential(path), key);
    var buffer = new byte[1 << 17];
    int kept = 0;
    var state = default(JsonReaderState);
    long tokens = 0;
    while (true)
    {
        int read = plain.Read(buffer, kept, buffer.Length - kept);
        int available = kept + read;
        var reader = new Utf8JsonReader(buffer.AsSpan(0, available), read == 0, state);
        while (reader.Read())
        {
            tokens++;
        }

        if (read == 0)
        {
            break;
        }

        state = reader.CurrentState;
        kept = available - (int)reader.BytesConsumed;
        Buffer.BlockCopy(buffer, (int)reader.BytesConsumed, buffer, 0, kept);
    }

    if (tokens == 0)
    {
        throw new InvalidOperationException("no tokens");
    }
}

static long RecordPass(string path, EncodingAesKey key)
{
    int collections = GC.CollectionCount(0);
    TimeSpan paused = GC.GetTotalPauseDuration();
    using Stream plain = BlockDecryption.OpenPlaintext(OpenSequential(path), key);
    long count = 0;
    foreach (WeComRecord record in ExportRecordReader.Read(plain, ExportKind.User, null, CancellationToken.None))
    {
        count++;
    }

    Console.WriteLine($"  records pass: {GC.CollectionCount(0) - collections} gen0 collections, {(GC.GetTotalPauseDuration() - paused).TotalSeconds:F2} s paused for GC");
    return count;
}

static FileStream OpenSequential(string path) =>
    new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

/// <summary>The best wall and CPU time of one pass over several runs.</summary>
internal sealed class Timing(string name, long bytes)
{
    public double Wall { get; private set; } = double.MaxValue;

    public double Cpu { get; private set; } = double.MaxValue;

    public void Measure(Action pass)
    {
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        TimeSpan cpuBefore = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        pass();
        Wall = Math.Min(Wall, clock.Elapsed.TotalSeconds);
        self.Refresh();
        Cpu = Math.Min(Cpu, (self.TotalProcessorTime - cpuBefore).TotalSeconds);
    }

    public void Report(long? records)
    {
        string perRecord = records is long n ? $", {n / Wall / 1e6:F2} M records/s" : string.Empty;
        Console.WriteLine($"{name,-22} wall {Wall,6:F2} s ({bytes / Wall / 1e6,5:F0} MB/s{perRecord}), cpu {Cpu,6:F2} s");
    }
}

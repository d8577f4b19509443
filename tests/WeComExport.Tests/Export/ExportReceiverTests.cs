using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Blocks;
using WeComExport.Crypto;
using WeComExport.Emulator;
using WeComExport.Export;
using WeComExport.Records;
using WeComExport.Security;
using Xunit;

namespace WeComExport.Tests.Export
{
    /// <summary>The engine's whole export flow over real HTTP against the in-process emulator.</summary>
    public sealed class ExportReceiverTests : IAsyncLifetime, IDisposable
    {
        private EmulatorSession harness = null!;
        private EmulatorServer emulator = null!;
        private WeComSession session = null!;
        private readonly HttpClient control = new();

        public async Task InitializeAsync()
        {
            harness = await EmulatorSession.StartAsync(23_000);
            emulator = harness.Emulator;
            session = harness.Session;
        }

        public async Task DisposeAsync() => await harness.DisposeAsync();

        public void Dispose() => control.Dispose();

        [Theory]
        [InlineData(ExportKind.SimpleUser, "simple_user", 10_000)]
        [InlineData(ExportKind.User, "user", 10_000)]
        [InlineData(ExportKind.User, "user", null)]
        [InlineData(ExportKind.Department, "department", null)]
        public async Task Every_record_arrives_once_in_one_or_several_blocks(ExportKind kind, string truthKind, int? blockSize)
        {
            WeComExportJob job = await StartAndWait(kind, blockSize, null);
            var ids = new List<string>();
            await ExportReceiver.ReceiveRecordsAsync(session, job, r => ids.Add(IdOf(r)), null, CancellationToken.None);

            (int count, string digest) = await Truth(truthKind, null);
            Assert.Equal(count, ids.Count);
            Assert.Equal(digest, Digest(ids));
            Assert.Equal(blockSize is null ? 1 : (count + blockSize.Value - 1) / blockSize.Value, job.LastResult!.BlockCount);
        }

        [Fact]
        public async Task Tag_members_carry_the_tag_id_and_match_the_truth()
        {
            WeComExportJob job = await StartAndWait(ExportKind.TagUser, null, 1);
            var records = new List<WeComTagMember>();
            await ExportReceiver.ReceiveRecordsAsync(session, job, r => records.Add((WeComTagMember)r), null, CancellationToken.None);
            (int count, string digest) = await Truth("taguser", 1);
            Assert.Equal(count, records.Count);
            Assert.Equal(digest, Digest(records.Select(IdOf)));
            Assert.All(records, r => Assert.Equal(1, r.TagId));
        }

        [Fact]
        public async Task A_job_known_only_by_id_and_key_is_received_with_its_kind_read_from_the_data()
        {
            WeComExportJob started = await StartAndWait(ExportKind.Department, null, null);
            var bare = new WeComExportJob(started.JobId, null, null) { Key = started.Key };
            var records = new List<WeComRecord>();
            await ExportReceiver.ReceiveRecordsAsync(session, bare, records.Add, null, CancellationToken.None);
            Assert.NotEmpty(records);
            Assert.All(records, r => Assert.IsType<WeComDepartment>(r));
        }

        [Theory]
        [InlineData("corrupt-byte")]
        [InlineData("truncate")]
        [InlineData("drop-connection")]
        public async Task A_damaged_download_is_fetched_again_and_nothing_is_lost(string fault)
        {
            WeComExportJob job = await StartAndWait(ExportKind.SimpleUser, 10_000, null);
            await Fault(fault, 1);
            var ids = new List<string>();
            await ExportReceiver.ReceiveRecordsAsync(session, job, r => ids.Add(IdOf(r)), null, CancellationToken.None);
            (int count, string digest) = await Truth("simple_user", null);
            Assert.Equal(count, ids.Count);
            Assert.Equal(digest, Digest(ids));
        }

        [Theory]
        [InlineData("drop-connection")]
        [InlineData("corrupt-byte")]
        [InlineData("truncate")]
        public async Task Spool_files_reused_for_later_and_smaller_blocks_hold_only_their_own_block(string fault)
        {
            // Blocks of 10,000, 10,000 and 3,000 members: the last is written over a spool that held a larger block,
            // and the faults make it resume or start again over bytes of that earlier block.
            WeComExportJob job = await StartAndWait(ExportKind.User, 10_000, null);
            Assert.True(job.LastResult!.Blocks[2].Size < job.LastResult.Blocks[0].Size);
            using (HttpResponseMessage r = await control.DeleteAsync(new Uri(emulator.BaseUri, "_emulator/requests")))
            {
                r.EnsureSuccessStatusCode();
            }

            var ids = new List<string>();
            await ExportReceiver.ReceiveRecordsAsync(session, job, r =>
            {
                if (ids.Count == 0)
                {
                    // Inside block 0, block 1 is fetched ahead; block 2, which gets block 0's spool, is asked for only
                    // after block 0 is read. Once block 1 has been asked for, the next download request is block 2's.
                    var waited = System.Diagnostics.Stopwatch.StartNew();
                    while (DownloadRequests().GetAwaiter().GetResult() < 2)
                    {
                        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "block 1 was not requested while block 0 was read");
                        Thread.Sleep(10);
                    }

                    Fault(fault, 1).GetAwaiter().GetResult();
                }

                ids.Add(IdOf(r));
            }, null, CancellationToken.None);

            (int count, string digest) = await Truth("user", null);
            Assert.Equal(count, ids.Count);
            Assert.Equal(digest, Digest(ids));
        }

        [Fact]
        public async Task A_dropped_block_resumes_where_it_broke_off_instead_of_starting_again()
        {
            WeComExportJob job = await StartAndWait(ExportKind.User, null, null);
            using (HttpResponseMessage r = await control.DeleteAsync(new Uri(emulator.BaseUri, "_emulator/requests")))
            {
                r.EnsureSuccessStatusCode();
            }

            await Fault("drop-connection", 1);
            var ids = new List<string>();
            var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
            using (WeComExport.Diagnostics.WeComLog.BeginScope((_, line) => log.Enqueue(line)))
            {
                await ExportReceiver.ReceiveRecordsAsync(session, job, r => ids.Add(IdOf(r)), null, CancellationToken.None);
            }

            (int count, string digest) = await Truth("user", null);
            Assert.Equal(count, ids.Count);
            Assert.Equal(digest, Digest(ids));
            using JsonDocument requests = JsonDocument.Parse(await control.GetStringAsync(new Uri(emulator.BaseUri, "_emulator/requests")));
            Assert.Equal(2, requests.RootElement.GetProperty("byPath").GetProperty("/downloadobject").GetInt32());
            // The second request asked only for what was missing; the MD5 of the spliced block was verified.
            string resume = Assert.Single(log, l => l.StartsWith("GET ", StringComparison.Ordinal) && l.Contains("/downloadobject", StringComparison.Ordinal) && l.Contains("(Range: bytes=", StringComparison.Ordinal));
            long from = long.Parse(resume[(resume.IndexOf("bytes=", StringComparison.Ordinal) + 6)..resume.IndexOf("-)", StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(from, 1, job.LastResult!.Blocks[0].Size - 1);
            Assert.DoesNotContain(log, l => l.Contains("authkey=", StringComparison.Ordinal) && !l.Contains("authkey=***", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("raw")]
        [InlineData("base64")]
        public async Task Blocks_served_raw_or_as_base64_text_give_the_same_records(string encoding)
        {
            await using EmulatorServer server = await EmulatorServer.StartAsync(new EmulatorOptions { Members = 21_000, JobDelay = TimeSpan.Zero, BlockEncoding = encoding });
            EmulatorCorp corp = server.Corps[0];
            using WeComSession other = await WeComSession.ConnectAsync(corp.CorpId, SecureText.From(corp.Secret), server.BaseUri, CancellationToken.None);
            WeComExportJob job = await ExportOperations.StartAsync(other, ExportKind.SimpleUser, EncodingAesKey.Generate(), 10_000, null, CancellationToken.None);
            job.LastResult = await ExportOperations.WaitAsync(other, job.JobId, TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(50), null, CancellationToken.None);
            var ids = new List<string>();
            await ExportReceiver.ReceiveRecordsAsync(other, job, r => ids.Add(IdOf(r)), null, CancellationToken.None);

            using JsonDocument truth = JsonDocument.Parse(await control.GetStringAsync(new Uri(server.BaseUri, $"_emulator/truth?corpid={corp.CorpId}&kind=simple_user")));
            Assert.Equal(3, job.LastResult.BlockCount);
            Assert.Equal(truth.RootElement.GetProperty("count").GetInt32(), ids.Count);
            Assert.Equal(truth.RootElement.GetProperty("idsSha256").GetString(), Digest(ids));
        }

        [Fact]
        public async Task A_stalled_download_is_abandoned_and_fetched_again()
        {
            WeComExportJob job = await StartAndWait(ExportKind.Department, null, null);
            using (HttpResponseMessage r = await control.PostAsJsonAsync(new Uri(emulator.BaseUri, "_emulator/faults"), new { kind = "slow", count = 1, delayMs = 30_000, path = "/downloadobject" }))
            {
                r.EnsureSuccessStatusCode();
            }

            session.DownloadStallTimeout = TimeSpan.FromSeconds(1);
            var ids = new List<string>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await ExportReceiver.ReceiveRecordsAsync(session, job, r => ids.Add(IdOf(r)), null, CancellationToken.None);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), "the stalled download was waited out instead of abandoned");
            (int count, string digest) = await Truth("department", null);
            Assert.Equal(digest, Digest(ids));
            Assert.Equal(count, ids.Count);
        }

        [Fact]
        public async Task A_block_that_stays_corrupt_fails_before_any_of_its_records_is_emitted()
        {
            WeComExportJob job = await StartAndWait(ExportKind.SimpleUser, null, null);
            await Fault("corrupt-byte", 100);
            int emitted = 0;
            var ex = await Assert.ThrowsAsync<BlockIntegrityException>(() => ExportReceiver.ReceiveRecordsAsync(session, job, _ => emitted++, null, CancellationToken.None));
            Assert.Equal(0, emitted);
            Assert.Equal(0, ex.BlockIndex);
        }

        [Fact]
        public async Task The_wrong_key_fails_and_yields_no_records()
        {
            WeComExportJob job = await StartAndWait(ExportKind.SimpleUser, null, null);
            var wrong = new WeComExportJob(job.JobId, job.Kind, job.CorpId) { Key = EncodingAesKey.Generate() };
            int emitted = 0;
            await Assert.ThrowsAsync<WeComCryptoException>(() => ExportReceiver.ReceiveRecordsAsync(session, wrong, _ => emitted++, null, CancellationToken.None));
            Assert.Equal(0, emitted);

            // Known only by id, the kind is read from the data: the key check must come first.
            var bare = new WeComExportJob(job.JobId, null, null) { Key = EncodingAesKey.Generate() };
            await Assert.ThrowsAsync<WeComCryptoException>(() => ExportReceiver.ReceiveRecordsAsync(session, bare, _ => emitted++, null, CancellationToken.None));
            Assert.Equal(0, emitted);
        }

        [Fact]
        public async Task A_job_without_a_key_or_not_yet_done_is_refused_with_a_hint()
        {
            WeComExportJob started = await ExportOperations.StartAsync(session, ExportKind.SimpleUser, EncodingAesKey.Generate(), null, null, CancellationToken.None);
            var notReady = await Assert.ThrowsAsync<WeComException>(() => ExportReceiver.ReceiveRecordsAsync(session, started, _ => { }, null, CancellationToken.None));
            Assert.Equal("WeComExportNotReady", notReady.ErrorId);

            var keyless = new WeComExportJob(started.JobId, null, null);
            var noKey = await Assert.ThrowsAsync<WeComException>(() => ExportReceiver.ReceiveRecordsAsync(session, keyless, _ => { }, null, CancellationToken.None));
            Assert.Equal("WeComEncodingAesKeyRequired", noKey.ErrorId);
        }

        [Fact]
        public async Task Output_files_hold_each_decrypted_block_and_no_temp_file_is_left()
        {
            WeComExportJob job = await StartAndWait(ExportKind.SimpleUser, 10_000, null);
            string folder = Path.Combine(Path.GetTempPath(), "wecom-files-" + Guid.NewGuid().ToString("N"));
            try
            {
                var files = new List<FileInfo>();
                await ExportReceiver.ReceiveFilesAsync(session, job, folder, files.Add, null, CancellationToken.None);
                Assert.Equal(job.LastResult!.BlockCount, files.Count);
                Assert.Equal(files.Select(f => f.FullName).OrderBy(f => f, StringComparer.Ordinal), Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal));
                var ids = new List<string>();
                foreach (FileInfo file in files)
                {
                    using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(file.FullName));
                    ids.AddRange(doc.RootElement.GetProperty("userlist").EnumerateArray().Select(u => u.GetProperty("userid").GetString()!));
                }

                (int count, string digest) = await Truth("simple_user", null);
                Assert.Equal(count, ids.Count);
                Assert.Equal(digest, Digest(ids));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        [Fact]
        public async Task Progress_reports_bytes_up_to_the_total_and_every_record()
        {
            WeComExportJob job = await StartAndWait(ExportKind.SimpleUser, 10_000, null);
            var reports = new List<ReceiveProgress>();
            long emitted = 0;
            await ExportReceiver.ReceiveRecordsAsync(session, job, _ => emitted++, reports.Add, CancellationToken.None);
            ReceiveProgress last = reports[^1];
            Assert.Equal(last.TotalBytes, last.BytesDownloaded);
            Assert.Equal(emitted, last.Records);
            Assert.Equal(job.LastResult!.TotalSize, last.TotalBytes);
        }

        private Task<WeComExportJob> StartAndWait(ExportKind kind, int? blockSize, long? tagId) => harness.StartAndWaitAsync(kind, blockSize, tagId);

        private async Task<int> DownloadRequests()
        {
            using JsonDocument requests = JsonDocument.Parse(await control.GetStringAsync(new Uri(emulator.BaseUri, "_emulator/requests")));
            return requests.RootElement.GetProperty("byPath").TryGetProperty("/downloadobject", out JsonElement count) ? count.GetInt32() : 0;
        }

        private async Task Fault(string kind, int count)
        {
            using HttpResponseMessage response = await control.PostAsJsonAsync(new Uri(emulator.BaseUri, "_emulator/faults"), new { kind, count });
            response.EnsureSuccessStatusCode();
        }

        private async Task<(int Count, string Digest)> Truth(string kind, long? tagId)
        {
            string query = $"_emulator/truth?corpid={emulator.Corps[0].CorpId}&kind={kind}" + (tagId is null ? string.Empty : $"&tagid={tagId}");
            using JsonDocument doc = JsonDocument.Parse(await control.GetStringAsync(new Uri(emulator.BaseUri, query)));
            return (doc.RootElement.GetProperty("count").GetInt32(), doc.RootElement.GetProperty("idsSha256").GetString()!);
        }

        private static string IdOf(WeComRecord record) => record switch
        {
            WeComUser u => u.UserId!,
            WeComDepartment d => d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            WeComTagMember { MemberType: WeComTagMemberType.User } t => "user:" + t.UserId,
            WeComTagMember t => "party:" + t.DepartmentId,
            _ => throw new ArgumentException(record.GetType().Name),
        };

        // Computed here, independently of the emulator's own digest code.
        private static string Digest(IEnumerable<string> ids) =>
            Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", ids.OrderBy(i => i, StringComparer.Ordinal))))).ToLowerInvariant();
    }
}

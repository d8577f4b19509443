using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WeComExport.Api;
using WeComExport.Blocks;
using WeComExport.Export;
using WeComExport.Records;
using Xunit;

namespace WeComExport.Tests.Export
{
    /// <summary>
    /// Block n+1 downloads while block n is read, over real loopback HTTP, without changing what the caller
    /// sees: every record of a good block before the error of the next one, nothing left running after a
    /// failure, and record batches that never wait for the next block.
    /// </summary>
    public class LookaheadTests
    {
        private static readonly TimeSpan Guard = TimeSpan.FromMinutes(2);

        [Fact]
        public async Task The_next_block_downloads_while_the_current_one_is_read()
        {
            var secondRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, attempt) =>
            {
                if (attempt == 2)
                {
                    secondRequested.TrySetResult();
                }

                return DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext);
            });
            server.ListedBlocks = 3;
            using WeComSession session = await server.ConnectAsync();
            using var guard = new CancellationTokenSource(Guard);
            var ids = new List<long>();
            bool sawAhead = false;
            await ExportReceiver.ReceiveRecordsAsync(session, DownloadServer.Job(), r =>
            {
                if (ids.Count == 0)
                {
                    // Held inside block 0 until block 1's download has started; a receive that fetched one
                    // block at a time would never start it, and this wait would run out.
                    sawAhead = secondRequested.Task.Wait(TimeSpan.FromSeconds(20));
                }

                ids.Add(((WeComDepartment)r).Id);
            }, null, guard.Token);

            Assert.True(sawAhead, "block 1 was not requested while block 0 was being read");
            Assert.Equal(3 * DownloadServer.Departments, ids.Count);
            Assert.Equal(3, server.DownloadCount);
        }

        [Fact]
        public async Task A_block_that_fails_ahead_still_lets_every_record_of_the_block_before_out_first()
        {
            byte[] damaged = (byte[])DownloadServer.Ciphertext.Clone();
            damaged[100] ^= 0xFF;
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, attempt) =>
                DownloadServer.HonestAsync(ctx, attempt == 1 ? DownloadServer.Ciphertext : damaged));
            server.ListedBlocks = 2;
            using WeComSession session = await server.ConnectAsync();
            using var guard = new CancellationTokenSource(Guard);
            var ids = new List<long>();
            var error = await Assert.ThrowsAsync<BlockIntegrityException>(() =>
                ExportReceiver.ReceiveRecordsAsync(session, DownloadServer.Job(), r => ids.Add(((WeComDepartment)r).Id), null, guard.Token));

            Assert.Equal(1, error.BlockIndex);
            Assert.Equal(Enumerable.Range(1, DownloadServer.Departments).Select(i => (long)i), ids);
        }

        [Fact]
        public async Task A_failure_while_reading_cancels_the_download_ahead()
        {
            var aheadAborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var aheadStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using DownloadServer server = await DownloadServer.StartAsync(async (ctx, attempt) =>
            {
                if (attempt == 1)
                {
                    await DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext);
                    return;
                }

                // Block 1 sends its headers and a little, then stalls until the client goes away.
                ctx.Response.ContentLength = DownloadServer.Ciphertext.Length;
                await ctx.Response.Body.WriteAsync(DownloadServer.Ciphertext.AsMemory(0, 64));
                await ctx.Response.Body.FlushAsync();
                aheadStarted.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    aheadAborted.TrySetResult();
                }
            });
            server.ListedBlocks = 2;
            using WeComSession session = await server.ConnectAsync();
            using var guard = new CancellationTokenSource(Guard);
            var failure = new InvalidOperationException("the caller's own failure");
            var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => ExportReceiver.ReceiveRecordsAsync(session, DownloadServer.Job(), _ =>
            {
                Assert.True(aheadStarted.Task.Wait(TimeSpan.FromSeconds(20)), "block 1 never started");
                throw failure;
            }, null, guard.Token));

            Assert.Same(failure, thrown);
            // The download ahead was cancelled (its connection closed), not left to run into its stall timeout.
            Assert.True(await Task.WhenAny(aheadAborted.Task, Task.Delay(TimeSpan.FromSeconds(20))) == aheadAborted.Task, "the download ahead kept running");
        }

        [Theory]
        [InlineData(1000, new[] { 1000, 1000, 1000, 1000, 1000, 1000 })]
        [InlineData(700, new[] { 700, 700, 700, 700, 200, 700, 700, 700, 700, 200 })]
        [InlineData(5000, new[] { 3000, 3000 })]
        public async Task Record_batches_are_full_except_at_a_block_end(int batchSize, int[] expectedSizes)
        {
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, _) => DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext));
            server.ListedBlocks = 2;
            using WeComSession session = await server.ConnectAsync();
            using var guard = new CancellationTokenSource(Guard);
            var batches = new List<WeComRecord[]>();
            await ExportReceiver.ReceiveRecordBatchesAsync(session, DownloadServer.Job(), batchSize, batches.Add, null, null, guard.Token);

            Assert.Equal(expectedSizes, batches.Select(b => b.Length));
            IEnumerable<long> expectedIds = Enumerable.Range(1, DownloadServer.Departments).Select(i => (long)i);
            Assert.Equal(expectedIds.Concat(expectedIds), batches.SelectMany(b => b).Select(r => ((WeComDepartment)r).Id));
            Assert.All(batches.SelectMany(b => b), r => Assert.Equal("wwdownloadtest", r.CorpId));
            // Each batch is its own array: the receiver may keep it.
            Assert.Equal(batches.Count, batches.Distinct().Count());
        }

        [Fact]
        public async Task A_batch_size_below_one_is_refused()
        {
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, _) => DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext));
            using WeComSession session = await server.ConnectAsync();
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
                ExportReceiver.ReceiveRecordBatchesAsync(session, DownloadServer.Job(), 0, _ => { }, null, null, CancellationToken.None));
        }
    }
}

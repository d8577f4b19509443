using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WeComExport.Api;
using WeComExport.Crypto;
using WeComExport.Diagnostics;
using WeComExport.Export;
using WeComExport.Records;
using WeComExport.Tests.Api;
using Xunit;

namespace WeComExport.Tests.Export
{
    /// <summary>
    /// The block download path against servers that misbehave, over real loopback HTTP: bodies longer
    /// than announced, wrong Content-Length, compressed bodies, slow links, dropped connections and
    /// Range, redirects off the HTTPS/loopback rule, Base64 blocks, error pages in place of a block.
    /// </summary>
    public class DownloadHardeningTests
    {
        private const string ProtocolViolation = "WeComDownloadProtocolViolation";

        private static async Task<List<long>> ReceiveAsync(DownloadServer server, List<ReceiveProgress>? reports = null, Action<WeComSession>? configure = null)
        {
            using WeComSession session = await server.ConnectAsync();
            configure?.Invoke(session);
            var ids = new List<long>();
            // A guard against a hang, not a timing assertion: every test here ends in seconds.
            using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await ExportReceiver.ReceiveRecordsAsync(session, DownloadServer.Job(), r => ids.Add(((WeComDepartment)r).Id), reports is null ? null : reports.Add, guard.Token);
            return ids;
        }

        private static void AssertAllRecords(List<long> ids) =>
            Assert.Equal(Enumerable.Range(1, DownloadServer.Departments).Select(i => (long)i), ids);

        private static async Task<WeComException> ReceiveFailsAsync(DownloadServer server, List<ReceiveProgress>? reports = null)
        {
            int emitted = 0;
            using WeComSession session = await server.ConnectAsync();
            using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var ex = await Assert.ThrowsAnyAsync<WeComException>(() => ExportReceiver.ReceiveRecordsAsync(session, DownloadServer.Job(), _ => emitted++, reports is null ? null : reports.Add, guard.Token));
            Assert.Equal(0, emitted);
            Assert.DoesNotContain(DownloadServer.AuthKey, ex.ToString(), StringComparison.Ordinal);
            return ex;
        }

        // ---- Renewing URLs never changes what is received ----

        [Theory]
        [InlineData("fewer blocks")]
        [InlineData("another md5")]
        [InlineData("another size")]
        public async Task A_renewal_that_lists_other_blocks_is_WeComInvalidAnswer_not_a_short_result(string change)
        {
            DownloadServer? server = null;
            await using DownloadServer started = await DownloadServer.StartAsync((ctx, attempt) =>
            {
                if (attempt > 1)
                {
                    return DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext);
                }

                // The first link is refused, and the fresh get_result that follows lists other blocks.
                switch (change)
                {
                    case "fewer blocks": server!.ListedBlocks = 1; break;
                    case "another md5": server!.AnnouncedMd5 = new string('0', 32); break;
                    default: server!.AnnouncedSize += 32; break;
                }

                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            });
            server = started;
            server.ListedBlocks = 2;
            WeComException ex = await ReceiveFailsAsync(server);
            Assert.Equal("WeComInvalidAnswer", ex.ErrorId);
            Assert.Contains("start the export again", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Block_files_go_into_the_folder_all_at_the_end_or_none_when_a_later_block_fails()
        {
            // Block 0 downloads; every later download is refused, so block 1 fails after block 0 was decrypted.
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, attempt) =>
            {
                if (attempt == 1)
                {
                    return DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext);
                }

                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            });
            server.ListedBlocks = 3;
            string folder = Path.Combine(Path.GetTempPath(), "wecom-all-or-none-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                // A file of an earlier receive of the job, under block 0's name: it stays as it was.
                string earlier = Path.Combine(folder, ExportReceiver.FileNameFor(DownloadServer.Job().JobId, 0));
                File.WriteAllText(earlier, "{\"department\":[]}");
                using WeComSession session = await server.ConnectAsync();
                var emitted = new List<FileInfo>();

                WeComException ex = await Assert.ThrowsAnyAsync<WeComException>(() => ExportReceiver.ReceiveFilesAsync(session, DownloadServer.Job(), folder, emitted.Add, null, CancellationToken.None));

                Assert.Equal(WeComErrors.DownloadRefused.ErrorId, ex.ErrorId);
                Assert.Empty(emitted);
                Assert.Equal(new[] { earlier }, Directory.GetFileSystemEntries(folder));
                Assert.Equal("{\"department\":[]}", File.ReadAllText(earlier));

                // Served whole, the three blocks are all there, emitted in order.
                server.Serve = (ctx, _) => DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext);
                await ExportReceiver.ReceiveFilesAsync(session, DownloadServer.Job(), folder, emitted.Add, null, CancellationToken.None);
                Assert.Equal(Enumerable.Range(0, 3).Select(i => ExportReceiver.FileNameFor(DownloadServer.Job().JobId, i)), emitted.Select(f => f.Name));
                Assert.Equal(3, Directory.GetFileSystemEntries(folder).Length);
                Assert.All(emitted, f => Assert.Equal(DownloadServer.Plaintext.Length, new FileInfo(f.FullName).Length));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        [Fact]
        public async Task Staged_block_files_are_held_so_another_writers_tidy_up_cannot_take_them()
        {
            // Each download waits 100 ms first, so block 0's staged file waits a while for the blocks after it.
            await using DownloadServer server = await DownloadServer.StartAsync(async (ctx, _) =>
            {
                await Task.Delay(100, ctx.RequestAborted);
                await DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext);
            });
            server.ListedBlocks = 3;
            string folder = Path.Combine(Path.GetTempPath(), "wecom-held-" + Guid.NewGuid().ToString("N"));
            try
            {
                using WeComSession session = await server.ConnectAsync();
                int claimed = 0, tried = 0;
                var emitted = new List<FileInfo>();
                using var done = new CancellationTokenSource();

                // All the while the receive runs, claim every staged file as a tidy-up in another container would (same host
                // name, a pid it cannot see): unshared, deleted on close. It tries a file once it has been there 20 ms, past the
                // microseconds between a file's creation and its writer's lock (a window every temp file has), so a file left
                // free while it waits (between its write and its hold, or before its rename) is what it would take.
                var claimer = new Thread(() =>
                {
                    var firstSeen = new Dictionary<string, DateTime>(StringComparer.Ordinal);
                    while (!done.IsCancellationRequested)
                    {
                        foreach (string temp in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.wecomexport.tmp") : Array.Empty<string>())
                        {
                            if (!firstSeen.TryGetValue(temp, out DateTime seen))
                            {
                                firstSeen[temp] = DateTime.UtcNow;
                                continue;
                            }

                            if (DateTime.UtcNow - seen < TimeSpan.FromMilliseconds(20))
                            {
                                continue;
                            }

                            Interlocked.Increment(ref tried);
                            try
                            {
                                using var claim = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.None, 1, FileOptions.DeleteOnClose);
                                Interlocked.Increment(ref claimed);
                            }
                            catch (IOException)
                            {
                            }
                        }

                        Thread.Sleep(1);
                    }
                });
                claimer.Start();
                try
                {
                    for (int receive = 0; receive < 5; receive++)
                    {
                        emitted.Clear();
                        await ExportReceiver.ReceiveFilesAsync(session, DownloadServer.Job(), folder, emitted.Add, null, CancellationToken.None);
                    }
                }
                finally
                {
                    done.Cancel();
                    claimer.Join();
                }

                Assert.True(tried > 0, "no staged file was seen while the receive ran");
                Assert.Equal(0, claimed);
                Assert.Equal(3, emitted.Count);
                Assert.Equal(3, Directory.GetFileSystemEntries(folder).Length);
            }
            finally
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }

        [Fact]
        public async Task A_link_refused_again_after_every_renewal_is_WeComDownloadRefused_not_a_network_error()
        {
            int attempts = 0;
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, attempt) =>
            {
                Interlocked.Increment(ref attempts);
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            });
            WeComException ex = await ReceiveFailsAsync(server);
            Assert.Equal(WeComErrors.DownloadRefused.ErrorId, ex.ErrorId);
            Assert.Equal(WeComErrorKind.PermissionDenied, ex.Kind);
            Assert.Contains("403", ex.Message, StringComparison.Ordinal);
            // The first link and three fresh ones, each refused.
            Assert.Equal(4, attempts);
        }

        /// <summary>An error page in place of the block, as a server that refuses a link in the body sends it.</summary>
        private static Task ErrorPageAsync(HttpContext ctx, string page, bool announceLength = true)
        {
            byte[] body = Encoding.UTF8.GetBytes(page);
            ctx.Response.ContentType = page.TrimStart().StartsWith('<') ? "text/html; charset=utf-8" : "application/json";
            if (announceLength)
            {
                ctx.Response.ContentLength = body.Length;
            }

            return ctx.Response.Body.WriteAsync(body, ctx.RequestAborted).AsTask();
        }

        /// <summary>A block of one department: smaller than most error pages.</summary>
        private static readonly byte[] TinyBlock = WeComCipher.Encrypt(DownloadServer.Key, Encoding.UTF8.GetBytes("{\"department\":[{\"id\":1,\"name\":\"a\",\"parentid\":0,\"order\":1}]}"));

        private const string JsonErrorPage = "{\"errcode\":40007,\"errmsg\":\"invalid authkey\"}";

        private const string HtmlErrorPage = "<!DOCTYPE html>\n<html><head><title>Link expired</title></head><body><h1>403</h1></body></html>";

        /// <summary>nginx's own 403 page: 383 bytes, longer than a block of one department.</summary>
        private const string NginxPage = "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n";

        private static int GetResultCount(DownloadServer server) =>
            server.Requests.Count(r => r.PathAndQuery.StartsWith("/cgi-bin/export/get_result", StringComparison.Ordinal));

        [Theory]
        [InlineData(JsonErrorPage, true)]
        [InlineData(HtmlErrorPage, true)]
        [InlineData(HtmlErrorPage, false)]
        public async Task An_error_page_answered_200_in_place_of_the_block_is_a_refused_link_and_a_fresh_one_receives_it(string page, bool announceLength)
        {
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, attempt) =>
                attempt == 1 ? ErrorPageAsync(ctx, page, announceLength) : DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext));

            List<long> ids = await ReceiveAsync(server);

            AssertAllRecords(ids);
            // Not resumed with Range as a body cut short would be: a fresh link, and the block from its start.
            Assert.Equal(new[] { string.Empty, string.Empty }, server.DownloadRanges);
            Assert.Equal(2, GetResultCount(server));
        }

        [Theory]
        [InlineData(JsonErrorPage, "a JSON error (errcode 40007: 'invalid authkey')")]
        [InlineData(HtmlErrorPage, "an HTML page titled 'Link expired'")]
        public async Task An_error_page_on_every_fresh_link_is_WeComDownloadRefused_saying_what_the_page_said(string page, string said)
        {
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, attempt) => ErrorPageAsync(ctx, page));

            WeComException ex = await ReceiveFailsAsync(server);

            Assert.Equal(WeComErrors.DownloadRefused.ErrorId, ex.ErrorId);
            Assert.Equal(WeComErrorKind.PermissionDenied, ex.Kind);
            Assert.Contains("answered HTTP 200 with " + said + " in place of the block's", ex.Message, StringComparison.Ordinal);
            // The first link and three fresh ones, each answered with the page; never a Range request.
            Assert.Equal(4, server.DownloadCount);
            Assert.All(server.DownloadRanges, r => Assert.Equal(string.Empty, r));
        }

        [Fact]
        public async Task A_resume_answered_with_an_error_page_keeps_what_arrived_for_the_fresh_link()
        {
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, attempt) => attempt switch
            {
                1 => DownloadServer.DropAfterAsync(ctx, DownloadServer.Ciphertext, 50_000),
                2 => ErrorPageAsync(ctx, JsonErrorPage),
                _ => DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext),
            });

            List<long> ids = await ReceiveAsync(server);

            AssertAllRecords(ids);
            // As after a 403: the fresh link resumes where the first one broke off.
            Assert.Equal(new[] { string.Empty, "bytes=50000-", "bytes=50000-" }, server.DownloadRanges);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task An_error_page_longer_than_a_tiny_block_is_a_refused_link_too(bool announceLength)
        {
            Assert.True(TinyBlock.Length < NginxPage.Length);
            // Twice: a protocol violation would get one second chance only, a refused link three fresh ones.
            await using DownloadServer server = await DownloadServer.StartAsync(
                (ctx, attempt) => attempt <= 2 ? ErrorPageAsync(ctx, NginxPage, announceLength) : DownloadServer.HonestAsync(ctx, TinyBlock),
                TinyBlock);

            List<long> ids = await ReceiveAsync(server);

            Assert.Equal(new long[] { 1 }, ids);
            Assert.Equal(3, GetResultCount(server));
        }

        [Theory]
        [InlineData("{\"errcode\":40007,\"errmsg\":\"invalid url URL\"}")]
        [InlineData("<html><head><title>Expired: HTMLURL</title></head></html>")]
        [InlineData("{\"errcode\":40007,\"errmsg\":\"invalid authkey=" + DownloadServer.AuthKey + "\"}")]
        [InlineData("{\"errcode\":40007,\"errmsg\":\"invalid authkey: " + DownloadServer.AuthKey + "\"}")]
        [InlineData("{\"errcode\":40007,\"errmsg\":\"invalid url ENCURL\"}")]
        public async Task What_an_error_page_says_never_shows_the_link_s_authkey(string template)
        {
            DownloadServer? self = null;
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, _) =>
            {
                string url = self!.AnnouncedUrl.AbsoluteUri;
                return ErrorPageAsync(ctx, template.Replace("HTMLURL", url.Replace("&", "&amp;")).Replace("ENCURL", Uri.EscapeDataString(url)).Replace("URL", url));
            });
            self = server;
            var verbose = new ConcurrentQueue<string>();
            using IDisposable listening = WeComLog.BeginScope((_, line) => verbose.Enqueue(line));

            // ReceiveFailsAsync also checks that the exception, inner ones included, never holds the authkey.
            WeComException ex = await ReceiveFailsAsync(server);

            Assert.Equal(WeComErrors.DownloadRefused.ErrorId, ex.ErrorId);
            Assert.Matches("answered HTTP 200 with (a JSON error|an HTML page).*\\*\\*\\*", ex.Message);
            Assert.NotEmpty(verbose);
            Assert.All(verbose, line => Assert.DoesNotContain(DownloadServer.AuthKey, line, StringComparison.Ordinal));
        }

        [Fact]
        public async Task The_authkey_of_the_redirect_hop_that_answered_with_a_page_is_masked_too()
        {
            const string HopKey = "HOPKEY-must-never-show-9876543210";
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, attempt) =>
            {
                if (!ctx.Request.Path.Value!.StartsWith("/block/hop", StringComparison.Ordinal))
                {
                    ctx.Response.StatusCode = StatusCodes.Status302Found;
                    ctx.Response.Headers.Location = "/block/hop?authkey=" + HopKey;
                    return Task.CompletedTask;
                }

                return ErrorPageAsync(ctx, "{\"errcode\":40007,\"errmsg\":\"invalid authkey: " + HopKey + "\"}");
            });
            var verbose = new ConcurrentQueue<string>();
            using IDisposable listening = WeComLog.BeginScope((_, line) => verbose.Enqueue(line));

            WeComException ex = await ReceiveFailsAsync(server);

            Assert.Equal(WeComErrors.DownloadRefused.ErrorId, ex.ErrorId);
            Assert.Contains("invalid authkey: ***", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(HopKey, ex.ToString(), StringComparison.Ordinal);
            Assert.All(verbose, line => Assert.DoesNotContain(HopKey, line, StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("{\"errcode\":1,\"errmsg\":\"\\u001b[31mred\\r\\nWARNING: fake line\\u0007\"}")]
        [InlineData("<html><title>\u001b[31mred\r\nWARNING: fake line\u0007</title></html>")]
        public async Task What_an_error_page_says_reaches_the_message_with_its_control_characters_shown_escaped(string page)
        {
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, _) => ErrorPageAsync(ctx, page));

            WeComException ex = await ReceiveFailsAsync(server);

            Assert.Equal(WeComErrors.DownloadRefused.ErrorId, ex.ErrorId);
            Assert.Contains("\\u001B[31mred\\u000D\\u000AWARNING: fake line\\u0007", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(ex.Message, c => c < ' ');
        }

        [Fact]
        public async Task An_authkey_echoed_form_decoded_with_plus_as_space_is_masked()
        {
            const string Key = "AK+secret+part-0123456789";
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, _) =>
                ErrorPageAsync(ctx, "{\"errcode\":40007,\"errmsg\":\"invalid authkey: " + Key.Replace('+', ' ') + "\"}"));
            server.AnnouncedUrl = new Uri(server.BaseUri, "/block?fileid=f1&authkey=" + Key + "&filename=data_0.json");

            WeComException ex = await ReceiveFailsAsync(server);

            Assert.Contains("invalid authkey: ***", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("secret part", ex.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_JSON_page_whose_errmsg_is_not_UTF8_is_still_a_refused_link()
        {
            byte[] page = Encoding.ASCII.GetBytes("{\"errcode\":1,\"errmsg\":\"bad \u0001\"}");
            page[Array.IndexOf(page, (byte)1)] = 0xFF;
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, _) =>
            {
                ctx.Response.ContentLength = page.Length;
                return ctx.Response.Body.WriteAsync(page, ctx.RequestAborted).AsTask();
            });

            WeComException ex = await ReceiveFailsAsync(server);

            Assert.Equal(WeComErrors.DownloadRefused.ErrorId, ex.ErrorId);
            Assert.Contains("a JSON error (errcode 1: '(text that is not UTF-8)')", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task No_more_than_one_byte_past_a_tiny_block_is_read_when_what_follows_is_no_page()
        {
            long extraSent = 0;
            await using DownloadServer server = await DownloadServer.StartAsync(async (ctx, attempt) =>
            {
                // The block, then 1 KB every 20 ms, chunked: the client must let go at once, not read on toward a page's size.
                await ctx.Response.Body.WriteAsync(TinyBlock, ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                byte[] extra = new byte[1024];
                try
                {
                    for (int i = 0; i < 80 && !ctx.RequestAborted.IsCancellationRequested; i++)
                    {
                        await Task.Delay(20, ctx.RequestAborted);
                        await ctx.Response.Body.WriteAsync(extra, ctx.RequestAborted);
                        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                        Interlocked.Add(ref extraSent, extra.Length);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }, TinyBlock);

            WeComException ex = await ReceiveFailsAsync(server);

            Assert.Equal(ProtocolViolation, ex.ErrorId);
            // Two attempts (the violation's one second chance); each lets go after its first extra bytes.
            Assert.True(Interlocked.Read(ref extraSent) < 16 * 1024, $"{extraSent} bytes past a {TinyBlock.Length}-byte block were sent before the client let go");
        }

        [Fact]
        public async Task A_page_cut_off_by_a_dropped_connection_is_not_kept_as_the_block_s_start()
        {
            byte[] page = Encoding.UTF8.GetBytes(JsonErrorPage);
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, attempt) => attempt switch
            {
                1 => DownloadServer.DropAfterAsync(ctx, page, 20),
                2 => ErrorPageAsync(ctx, JsonErrorPage),
                _ => DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext),
            });

            List<long> ids = await ReceiveAsync(server);

            AssertAllRecords(ids);
            // The resume's page matches what was kept: the fresh link starts from zero, not at byte 20 (an MD5 failure and a third download).
            Assert.Equal(new[] { string.Empty, "bytes=20-", string.Empty }, server.DownloadRanges);
        }

        [Fact]
        public async Task A_tiny_chunked_block_that_arrived_whole_restarts_the_stall_clock_as_any_block_does()
        {
            // Read into memory first (no length, a tiny block): the stall rule must be the one every download keeps.
            await using DownloadServer server = await DownloadServer.StartAsync(async (ctx, attempt) =>
            {
                int half = TinyBlock.Length / 2;
                await ctx.Response.Body.WriteAsync(TinyBlock.AsMemory(0, half), ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                // The rest of the block at 1.2 s of a 2 s timeout, the end of the body 1.4 s after that.
                await Task.Delay(1200, ctx.RequestAborted);
                await ctx.Response.Body.WriteAsync(TinyBlock.AsMemory(half), ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                await Task.Delay(1400, ctx.RequestAborted);
            }, TinyBlock);

            List<long> ids = await ReceiveAsync(server, configure: s => s.DownloadStallTimeout = TimeSpan.FromSeconds(2));

            Assert.Equal(new long[] { 1 }, ids);
            Assert.Equal(1, server.DownloadCount);
        }

        [Fact]
        public async Task A_tiny_block_served_chunked_as_Base64_text_is_received_not_taken_for_a_page()
        {
            byte[] text = Encoding.ASCII.GetBytes(Convert.ToBase64String(TinyBlock));
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, _) => ctx.Response.Body.WriteAsync(text, ctx.RequestAborted).AsTask(), text);

            List<long> ids = await ReceiveAsync(server);

            Assert.Equal(new long[] { 1 }, ids);
            Assert.Equal(1, server.DownloadCount);
        }

        [Fact]
        public async Task A_short_chunked_page_in_a_spool_that_held_a_longer_block_is_still_a_page()
        {
            // Block 0 whole; block 1's first link a chunked page, read back from the spool block 0 used; then whole.
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, attempt) =>
                attempt == 2 ? ErrorPageAsync(ctx, JsonErrorPage, announceLength: false) : DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext));
            server.ListedBlocks = 2;

            List<long> ids = await ReceiveAsync(server);

            Assert.Equal(2 * DownloadServer.Departments, ids.Count);
            Assert.Equal(new[] { string.Empty, string.Empty, string.Empty }, server.DownloadRanges);
        }

        [Theory]
        [InlineData("application/octet-stream")]
        [InlineData("application/json")]
        public async Task A_steady_chunked_download_is_never_a_stall_whatever_its_media_type(string mediaType)
        {
            // 20 KB a second, 40 times the least rate, under a 1.5 s stall timeout.
            await using DownloadServer server = await DownloadServer.StartAsync(async (ctx, _) =>
            {
                ctx.Response.ContentType = mediaType;
                for (int sent = 0; sent < DownloadServer.Ciphertext.Length; sent += 2000)
                {
                    await ctx.Response.Body.WriteAsync(DownloadServer.Ciphertext.AsMemory(sent, Math.Min(2000, DownloadServer.Ciphertext.Length - sent)), ctx.RequestAborted);
                    await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                    await Task.Delay(100, ctx.RequestAborted);
                }
            });

            List<long> ids = await ReceiveAsync(server, configure: s => s.DownloadStallTimeout = TimeSpan.FromSeconds(1.5));

            AssertAllRecords(ids);
            Assert.Equal(1, server.DownloadCount);
        }

        [Theory]
        [InlineData("application/octet-stream")]
        [InlineData("application/json")]
        [InlineData("text/html")]
        public async Task A_chunked_download_that_breaks_off_resumes_from_what_arrived_whatever_its_media_type(string mediaType)
        {
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, attempt) => attempt == 1
                ? DownloadServer.ChunkedDropAfterAsync(ctx, DownloadServer.Ciphertext, 50_000, mediaType)
                : DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext));

            List<long> ids = await ReceiveAsync(server);

            AssertAllRecords(ids);
            Assert.Equal(new[] { string.Empty, "bytes=50000-" }, server.DownloadRanges);
        }

        [Fact]
        public async Task A_renewal_that_lists_the_same_blocks_with_fresh_links_receives_them_all()
        {
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, attempt) =>
            {
                if (attempt == 1)
                {
                    ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                }

                return DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext);
            });
            server.ListedBlocks = 2;
            List<long> ids = await ReceiveAsync(server);
            Assert.Equal(2 * DownloadServer.Departments, ids.Count);
        }

        // ---- 1. Never unbounded ----

        [Fact]
        public async Task A_body_longer_than_announced_is_a_protocol_violation_read_no_further_than_the_size()
        {
            long[] sentPerAttempt = new long[8];
            await using DownloadServer server = await DownloadServer.StartAsync(async (ctx, attempt) =>
            {
                // No Content-Length (chunked): the body just goes on, 8 MB past the announced size.
                byte[] extra = new byte[64 * 1024];
                await ctx.Response.Body.WriteAsync(DownloadServer.Ciphertext, ctx.RequestAborted);
                for (int i = 0; i < 128 && !ctx.RequestAborted.IsCancellationRequested; i++)
                {
                    await ctx.Response.Body.WriteAsync(extra, ctx.RequestAborted);
                    sentPerAttempt[attempt] += extra.Length;
                }
            });

            var reports = new List<ReceiveProgress>();
            WeComException ex = await ReceiveFailsAsync(server, reports);

            Assert.Equal(ProtocolViolation, ex.ErrorId);
            Assert.Equal(WeComErrorKind.InvalidData, ex.Kind);
            Assert.False(string.IsNullOrEmpty(ex.Hint));
            // Tried once, then once more after fresh URLs: bounded, and never with the backoff policy's 5 attempts.
            Assert.Equal(2, server.DownloadCount);
            Assert.All(reports, r => Assert.True(r.BytesDownloaded <= server.AnnouncedSize, $"{r.BytesDownloaded} bytes spooled of a {server.AnnouncedSize}-byte block"));
        }

        [Theory]
        [InlineData(0)] // a third of the block, more than an error page could be
        [InlineData(1000)] // short enough to be looked at as a possible error page first
        public async Task A_body_cut_short_under_a_shorter_content_length_is_kept_and_the_rest_asked_for_with_range(int cutBytes)
        {
            int cut = cutBytes == 0 ? DownloadServer.Ciphertext.Length / 3 : cutBytes;
            var ranges = new List<long>();
            await using DownloadServer server = await DownloadServer.StartAsync(async (ctx, attempt) =>
            {
                lock (ranges)
                {
                    ranges.Add(DownloadServer.RangeStart(ctx));
                }

                if (attempt == 1)
                {
                    // What a cache holding part of the object sends: a consistent but shorter response.
                    ctx.Response.ContentLength = cut;
                    await ctx.Response.Body.WriteAsync(DownloadServer.Ciphertext.AsMemory(0, cut), ctx.RequestAborted);
                    return;
                }

                await DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext);
            });

            List<long> ids = await ReceiveAsync(server);

            Assert.Equal(DownloadServer.Departments, ids.Count);
            Assert.Equal(new long[] { 0, cut }, ranges);
        }

        [Fact]
        public async Task A_resume_answered_short_is_kept_too_and_the_rest_asked_for_again()
        {
            var ranges = new List<long>();
            int first = DownloadServer.Ciphertext.Length / 4;
            int second = DownloadServer.Ciphertext.Length / 3;
            await using DownloadServer server = await DownloadServer.StartAsync(async (ctx, attempt) =>
            {
                long start = DownloadServer.RangeStart(ctx);
                lock (ranges)
                {
                    ranges.Add(start);
                }

                switch (attempt)
                {
                    case 1:
                        await DownloadServer.DropAfterAsync(ctx, DownloadServer.Ciphertext, first);
                        return;
                    case 2:
                        // A 206 for the rest whose body (and Content-Length) stops short.
                        ctx.Response.StatusCode = StatusCodes.Status206PartialContent;
                        ctx.Response.Headers.ContentRange = $"bytes {start}-{DownloadServer.Ciphertext.Length - 1}/{DownloadServer.Ciphertext.Length}";
                        ctx.Response.ContentLength = second;
                        await ctx.Response.Body.WriteAsync(DownloadServer.Ciphertext.AsMemory((int)start, second), ctx.RequestAborted);
                        return;
                    default:
                        await DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext);
                        return;
                }
            });

            List<long> ids = await ReceiveAsync(server);

            Assert.Equal(DownloadServer.Departments, ids.Count);
            Assert.Equal(new long[] { 0, first, first + second }, ranges);
        }

        [Fact]
        public async Task A_content_length_above_the_announced_size_is_refused_before_reading()
        {
            await using DownloadServer server = await DownloadServer.StartAsync(async (ctx, _) =>
            {
                byte[] longer = DownloadServer.Ciphertext.Concat(new byte[16]).ToArray();
                ctx.Response.ContentLength = longer.Length;
                await ctx.Response.Body.WriteAsync(longer, ctx.RequestAborted);
            });

            var reports = new List<ReceiveProgress>();
            WeComException ex = await ReceiveFailsAsync(server, reports);

            Assert.Equal(ProtocolViolation, ex.ErrorId);
            Assert.Contains("Content-Length", ex.Message, StringComparison.Ordinal);
            Assert.All(reports, r => Assert.Equal(0, r.BytesDownloaded));
            Assert.Equal(2, server.DownloadCount);
        }

        [Fact]
        public async Task A_compressed_body_is_never_asked_for_and_refused()
        {
            await using DownloadServer server = await DownloadServer.StartAsync(async (ctx, _) =>
            {
                using var packed = new MemoryStream();
                using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
                {
                    gzip.Write(DownloadServer.Ciphertext);
                }

                ctx.Response.Headers.ContentEncoding = "gzip";
                ctx.Response.ContentLength = packed.Length;
                await ctx.Response.Body.WriteAsync(packed.ToArray(), ctx.RequestAborted);
            });

            WeComException ex = await ReceiveFailsAsync(server);

            Assert.Equal(ProtocolViolation, ex.ErrorId);
            Assert.Contains("gzip", ex.Message, StringComparison.Ordinal);
            Assert.All(server.Downloads, r => Assert.Equal("identity", r.AcceptEncoding));
        }

        // ---- 2. The stall timer ----

        [Fact]
        public async Task A_slow_but_steady_download_is_not_taken_for_a_stall()
        {
            // 40 pieces 100 ms apart: the link never pauses for anything near the 2 s stall timeout,
            // but the whole block takes about 4 s, longer than it.
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, _) =>
                DownloadServer.PacedAsync(ctx, DownloadServer.Ciphertext, (DownloadServer.Ciphertext.Length / 40) + 1));

            List<long> ids = await ReceiveAsync(server, configure: s =>
            {
                s.DownloadStallTimeout = TimeSpan.FromSeconds(2);
                s.RetryPolicy.MaxRetries = 0;
            });

            AssertAllRecords(ids);
            Assert.Equal(1, server.DownloadCount);
        }

        [Fact]
        public async Task A_download_that_drips_is_taken_for_a_stall_and_ends_as_an_error()
        {
            // 20 bytes every 100 ms: bytes keep coming, but at 200 bytes a second, below the 512 a download must keep up.
            Assert.True(DownloadServer.Ciphertext.Length > 20 * BlockDownload.MinimumBytesPerSecond);
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, _) => DownloadServer.PacedAsync(ctx, DownloadServer.Ciphertext, 20));

            using WeComSession session = await server.ConnectAsync();
            session.DownloadStallTimeout = TimeSpan.FromSeconds(1);
            session.RetryPolicy.MaxRetries = 1;
            using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            WeComException ex = await Assert.ThrowsAnyAsync<WeComException>(() => ExportReceiver.ReceiveRecordsAsync(session, DownloadServer.Job(), _ => { }, null, guard.Token));

            Assert.False(guard.IsCancellationRequested);
            Assert.Contains("less than 512 bytes came in 1 s", ex.Message, StringComparison.Ordinal);
            Assert.Equal(2, server.DownloadCount);
        }

        [Fact]
        public async Task A_resume_answered_with_the_whole_block_counts_its_rate_from_zero_again()
        {
            // Attempt 1 breaks off after 50,000 bytes; later ones ignore Range and send the whole block at about 20 KB/s,
            // 40 times the least rate: well above it, though it takes longer than a stall timeout to pass byte 50,000 again.
            await using DownloadServer server = await DownloadServer.StartAsync(async (ctx, attempt) =>
            {
                byte[] body = DownloadServer.Ciphertext;
                if (attempt == 1)
                {
                    await DownloadServer.DropAfterAsync(ctx, body, 50_000);
                    return;
                }

                await DownloadServer.PacedAsync(ctx, body, 2000);
            });

            List<long> ids = await ReceiveAsync(server, configure: s =>
            {
                s.DownloadStallTimeout = TimeSpan.FromSeconds(1.5);
                s.RetryPolicy.MaxRetries = 2;
            });

            AssertAllRecords(ids);
            Assert.Equal(2, server.DownloadCount);
        }

        // ---- 3. Resume with Range ----

        private const int DroppedAfter = 50_000;

        /// <summary>A server whose first download breaks off after <see cref="DroppedAfter"/> bytes; later attempts go to <paramref name="then"/>.</summary>
        private static Task<DownloadServer> DroppingFirstAsync(DownloadServer.Script then) =>
            DownloadServer.StartAsync((ctx, attempt) => attempt == 1 ? DownloadServer.DropAfterAsync(ctx, DownloadServer.Ciphertext, DroppedAfter) : then(ctx, attempt));

        [Fact]
        public async Task A_dropped_download_resumes_with_Range_from_the_bytes_already_spooled()
        {
            long resentBytes = 0;
            await using DownloadServer server = await DroppingFirstAsync((ctx, _) =>
            {
                resentBytes = DownloadServer.Ciphertext.Length - DownloadServer.RangeStart(ctx);
                return DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext);
            });

            AssertAllRecords(await ReceiveAsync(server));

            Assert.Equal(new[] { string.Empty, "bytes=50000-" }, server.DownloadRanges);
            Assert.Equal(DownloadServer.Ciphertext.Length - DroppedAfter, resentBytes);
        }

        [Fact]
        public async Task A_server_that_ignores_Range_is_read_again_from_zero()
        {
            await using DownloadServer server = await DroppingFirstAsync(async (ctx, _) =>
            {
                ctx.Response.ContentLength = DownloadServer.Ciphertext.Length;
                await ctx.Response.Body.WriteAsync(DownloadServer.Ciphertext, ctx.RequestAborted);
            });

            AssertAllRecords(await ReceiveAsync(server));
            Assert.Equal(new[] { string.Empty, "bytes=50000-" }, server.DownloadRanges);
        }

        [Fact]
        public async Task A_resumed_block_that_fails_its_md5_is_downloaded_again_from_zero()
        {
            await using DownloadServer server = await DroppingFirstAsync((ctx, attempt) =>
            {
                byte[] body = (byte[])DownloadServer.Ciphertext.Clone();
                if (attempt == 2)
                {
                    body[^100] ^= 0xFF;
                }

                return DownloadServer.HonestAsync(ctx, body);
            });

            AssertAllRecords(await ReceiveAsync(server));
            Assert.Equal(new[] { string.Empty, "bytes=50000-", string.Empty }, server.DownloadRanges);
        }

        [Fact]
        public async Task A_partial_answer_for_another_range_is_not_spliced_in()
        {
            await using DownloadServer server = await DroppingFirstAsync(async (ctx, attempt) =>
            {
                byte[] body = DownloadServer.Ciphertext;
                if (attempt == 2)
                {
                    // 206, but for the whole block: splicing it after the 50,000 bytes would corrupt the block.
                    ctx.Response.StatusCode = StatusCodes.Status206PartialContent;
                    ctx.Response.Headers.ContentRange = $"bytes 0-{body.Length - 1}/{body.Length}";
                    ctx.Response.ContentLength = body.Length;
                    await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
                    return;
                }

                await DownloadServer.HonestAsync(ctx, body);
            });

            AssertAllRecords(await ReceiveAsync(server));
            // The violation costs a fresh get_result and one more try, from zero.
            Assert.Equal(new[] { string.Empty, "bytes=50000-", string.Empty }, server.DownloadRanges);
        }

        // ---- 4. The trust boundary ----

        [Theory]
        [InlineData("http://example.invalid/block?authkey=" + DownloadServer.AuthKey)]
        [InlineData("file:///etc/passwd")]
        [InlineData("ftp://example.invalid/block")]
        [InlineData("https://user:S3cretPw@example.invalid/block")]
        public async Task A_redirect_off_the_https_or_loopback_rule_is_refused_before_connecting(string location)
        {
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, _) =>
            {
                ctx.Response.StatusCode = StatusCodes.Status302Found;
                ctx.Response.Headers.Location = location;
                return Task.CompletedTask;
            });

            WeComException ex = await ReceiveFailsAsync(server);

            // A connection attempt to example.invalid would fail as WeComHttpError (and be retried).
            Assert.Equal("WeComInvalidAnswer", ex.ErrorId);
            Assert.Equal(WeComErrorKind.InvalidData, ex.Kind);
            Assert.Equal(1, server.DownloadCount);
            Assert.DoesNotContain("S3cretPw", ex.ToString(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("http://example.invalid/block?fileid=1&authkey=" + DownloadServer.AuthKey)]
        [InlineData("ftp://example.invalid/block")]
        public async Task A_download_url_off_the_rule_is_refused_before_any_request(string url)
        {
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, _) => DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext));
            server.AnnouncedUrl = new Uri(url);

            WeComException ex = await ReceiveFailsAsync(server);

            Assert.Equal("WeComInvalidAnswer", ex.ErrorId);
            Assert.Equal(0, server.DownloadCount);
        }

        [Theory]
        [InlineData("https://qyapi.example.test/", false)]
        [InlineData("http://127.0.0.1:9/", true)]
        public async Task A_redirect_to_plain_http_loopback_is_followed_only_when_the_api_is_plain_http_loopback(string apiBase, bool followed)
        {
            // An HTTPS block URL whose server redirects to a local service (an SSRF): only the emulator's
            // plain-HTTP loopback API address makes plain-HTTP loopback hops legitimate.
            const string hop = "http://127.0.0.1:9/block/hop";
            string md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(DownloadServer.Ciphertext));
            string result = string.Create(CultureInfo.InvariantCulture, $"{{\"errcode\":0,\"status\":2,\"data_list\":[{{\"url\":\"https://dl.example.test/block?authkey={DownloadServer.AuthKey}\",\"size\":{DownloadServer.Ciphertext.Length},\"md5\":\"{md5}\"}}]}}");
            var handler = new ScriptedHandler((r, _) => r.RequestUri!.AbsolutePath switch
            {
                "/cgi-bin/gettoken" => ScriptedHandler.Token(),
                "/cgi-bin/export/get_result" => ScriptedHandler.Json(result),
                "/block" => new HttpResponseMessage(HttpStatusCode.Found) { Headers = { Location = new Uri(hop) } },
                "/block/hop" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(DownloadServer.Ciphertext) },
                _ => new HttpResponseMessage(HttpStatusCode.NotFound),
            });
            using WeComSession session = await handler.ConnectAsync("secret-of-the-download-test", new Uri(apiBase));
            var job = new WeComExportJob("jobid_download_test", ExportKind.Department, session.CorpId) { Key = DownloadServer.Key };
            var ids = new List<long>();

            Task receive = ExportReceiver.ReceiveRecordsAsync(session, job, r => ids.Add(((WeComDepartment)r).Id), null, CancellationToken.None);

            if (followed)
            {
                await receive;
                AssertAllRecords(ids);
                Assert.Equal(1, handler.CountOf(hop));
            }
            else
            {
                WeComException ex = await Assert.ThrowsAnyAsync<WeComException>(() => receive);
                Assert.Equal("WeComInvalidAnswer", ex.ErrorId);
                Assert.Contains("HTTPS", ex.Message, StringComparison.Ordinal);
                Assert.DoesNotContain(DownloadServer.AuthKey, ex.ToString(), StringComparison.Ordinal);
                Assert.Empty(ids);
                Assert.Equal(0, handler.CountOf("127.0.0.1"));
                Assert.Equal(1, handler.CountOf("https://dl.example.test/block"));
            }
        }

        [Fact]
        public async Task Redirects_that_keep_to_the_rule_are_followed()
        {
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, attempt) =>
            {
                if (attempt <= 3)
                {
                    ctx.Response.StatusCode = attempt == 2 ? StatusCodes.Status307TemporaryRedirect : StatusCodes.Status302Found;
                    ctx.Response.Headers.Location = attempt == 2 ? $"/block/hop{attempt}?authkey=x" : new Uri(new Uri(ctx.Request.Scheme + "://" + ctx.Request.Host), $"/block/hop{attempt}").ToString();
                    return Task.CompletedTask;
                }

                return DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext);
            });

            AssertAllRecords(await ReceiveAsync(server));
            Assert.Equal(4, server.DownloadCount);
        }

        [Fact]
        public async Task A_redirect_loop_is_cut_off_after_a_few_hops()
        {
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, attempt) =>
            {
                ctx.Response.StatusCode = StatusCodes.Status302Found;
                ctx.Response.Headers.Location = $"/block?hop={attempt}";
                return Task.CompletedTask;
            });

            WeComException ex = await ReceiveFailsAsync(server);

            Assert.Equal("WeComInvalidAnswer", ex.ErrorId);
            Assert.InRange(server.DownloadCount, 2, 6);
        }

        [Fact]
        public async Task An_api_call_answered_with_a_redirect_is_an_http_error_and_not_followed()
        {
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, _) => DownloadServer.HonestAsync(ctx, DownloadServer.Ciphertext));
            server.RedirectGetResultTo = new Uri("http://example.invalid/cgi-bin/export/get_result");

            WeComHttpException ex = Assert.IsType<WeComHttpException>(await ReceiveFailsAsync(server));

            Assert.Equal(HttpStatusCode.Found, ex.StatusCode);
        }

        // ---- 6. Base64 blocks ----

        [Fact]
        public async Task A_block_served_as_base64_text_is_verified_as_served_then_decoded()
        {
            byte[] text = Encoding.ASCII.GetBytes(Convert.ToBase64String(DownloadServer.Ciphertext, Base64FormattingOptions.InsertLineBreaks));
            await using DownloadServer server = await DownloadServer.StartAsync((ctx, _) => DownloadServer.HonestAsync(ctx, text), text);

            AssertAllRecords(await ReceiveAsync(server));
        }
    }
}

using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Crypto;
using WeComExport.Diagnostics;
using WeComExport.Export;
using WeComExport.Security;
using Xunit;

namespace WeComExport.Tests.Api
{
    public class WeComSessionTests
    {
        private const string Secret = "s3cr3t-SECRET-value-0123456789abcdefghijklmn";
        private const string Token = "tok-abcdef123456";
        private static readonly Uri Base = ScriptedHandler.BaseUri;

        private static Task<WeComSession> Connect(ScriptedHandler handler) => handler.ConnectAsync(Secret);

        private static HttpResponseMessage Route(HttpRequestMessage r, Func<string, HttpResponseMessage?> api)
        {
            string path = r.RequestUri!.AbsolutePath;
            return path.EndsWith("/gettoken", StringComparison.Ordinal) ? ScriptedHandler.Token() : api(path) ?? ScriptedHandler.Error(404);
        }

        [Fact]
        public async Task Connect_fetches_a_token_at_once_and_caches_it()
        {
            var handler = new ScriptedHandler((r, _) => Route(r, _ => ScriptedHandler.Json("{\"errcode\":0,\"errmsg\":\"ok\",\"status\":1}")));
            using WeComSession session = await Connect(handler);
            Assert.Equal(1, handler.CountOf("/gettoken"));
            Assert.NotNull(session.TokenExpiresAt);

            await ExportOperations.GetResultAsync(session, "job1", CancellationToken.None);
            await ExportOperations.GetResultAsync(session, "job1", CancellationToken.None);
            Assert.Equal(1, handler.CountOf("/gettoken"));
            Assert.All(handler.Requests.Where(r => r.Contains("get_result", StringComparison.Ordinal)), r => Assert.Contains("access_token=" + Token, r, StringComparison.Ordinal));
        }

        [Theory]
        [InlineData(40013, "WeCom.40013", WeComErrorKind.Authentication)]
        [InlineData(40001, "WeCom.40001", WeComErrorKind.Authentication)]
        [InlineData(60020, "WeCom.60020", WeComErrorKind.PermissionDenied)]
        public async Task Connect_fails_with_the_errcode_and_a_hint(int code, string errorId, WeComErrorKind kind)
        {
            var handler = new ScriptedHandler((_, _) => ScriptedHandler.Error(code));
            var ex = await Assert.ThrowsAsync<WeComApiException>(() => WeComSession.ConnectAsync("wwcorp", SecureText.From(Secret), Base, CancellationToken.None, handler));
            Assert.Equal(errorId, ex.ErrorId);
            Assert.Equal(kind, ex.Kind);
            Assert.False(string.IsNullOrEmpty(ex.Hint));
            Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
            Assert.Single(handler.Requests);
        }

        [Theory]
        [InlineData(40014)]
        [InlineData(42001)]
        public async Task A_rejected_token_is_refreshed_and_the_call_retried_once(int code)
        {
            int apiCalls = 0;
            var handler = new ScriptedHandler((r, _) => Route(r, _ => Interlocked.Increment(ref apiCalls) == 1 ? ScriptedHandler.Error(code) : ScriptedHandler.Json("{\"errcode\":0,\"errmsg\":\"ok\",\"status\":2,\"data_list\":[]}")));
            using WeComSession session = await Connect(handler);
            WeComExportResult result = await ExportOperations.GetResultAsync(session, "job1", CancellationToken.None);
            Assert.Equal(ExportStatus.Done, result.Status);
            Assert.Equal(2, handler.CountOf("/gettoken"));
            Assert.Equal(2, apiCalls);
        }

        [Fact]
        public async Task A_token_rejected_twice_fails_without_looping()
        {
            var handler = new ScriptedHandler((r, _) => Route(r, _ => ScriptedHandler.Error(40014)));
            using WeComSession session = await Connect(handler);
            var ex = await Assert.ThrowsAsync<WeComApiException>(() => ExportOperations.GetResultAsync(session, "job1", CancellationToken.None));
            Assert.Equal(40014, ex.ErrCode);
            Assert.Equal(2, handler.CountOf("get_result"));
        }

        [Theory]
        [InlineData(-1)]
        [InlineData(45009)]
        [InlineData(45033)]
        public async Task Transient_errcodes_are_retried_with_backoff(int code)
        {
            int apiCalls = 0;
            var handler = new ScriptedHandler((r, _) => Route(r, _ => Interlocked.Increment(ref apiCalls) <= 2 ? ScriptedHandler.Error(code) : ScriptedHandler.Json("{\"errcode\":0,\"errmsg\":\"ok\",\"status\":1}")));
            using WeComSession session = await Connect(handler);
            WeComExportResult result = await ExportOperations.GetResultAsync(session, "job1", CancellationToken.None);
            Assert.Equal(ExportStatus.Processing, result.Status);
            Assert.Equal(3, apiCalls);
        }

        [Fact]
        public async Task A_frequency_limit_waits_at_least_a_minute_before_the_next_try()
        {
            int apiCalls = 0;
            var waits = new ConcurrentQueue<TimeSpan>();
            var handler = new ScriptedHandler((r, _) => Route(r, _ => Interlocked.Increment(ref apiCalls) == 1 ? ScriptedHandler.Error(45009) : ScriptedHandler.Json("{\"errcode\":0,\"errmsg\":\"ok\",\"status\":1}")));
            using WeComSession session = await Connect(handler);
            session.RetryPolicy.Delay = (delay, _) =>
            {
                waits.Enqueue(delay);
                return Task.CompletedTask;
            };
            await ExportOperations.GetResultAsync(session, "job1", CancellationToken.None);
            TimeSpan wait = Assert.Single(waits);
            Assert.True(wait >= TimeSpan.FromSeconds(60), $"waited only {wait}");
        }

        [Fact]
        public async Task Http_5xx_is_retried_and_gives_up_after_the_policy_limit()
        {
            var handler = new ScriptedHandler((r, _) => Route(r, _ => ScriptedHandler.Json("oops", HttpStatusCode.BadGateway)));
            using WeComSession session = await Connect(handler);
            var ex = await Assert.ThrowsAsync<WeComHttpException>(() => ExportOperations.GetResultAsync(session, "job1", CancellationToken.None));
            Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
            Assert.Equal(1 + session.RetryPolicy.MaxRetries, handler.CountOf("get_result"));
        }

        public static TheoryData<string, Func<HttpResponseMessage>> LostStartAnswers => new()
        {
            { "HTTP 503", () => ScriptedHandler.Json("busy", HttpStatusCode.ServiceUnavailable) },
            { "HTTP 500", () => ScriptedHandler.Json("oops", HttpStatusCode.InternalServerError) },
            { "a broken connection", () => throw new HttpRequestException("The response ended prematurely.") },
            { "a timeout", () => throw new TaskCanceledException("The request was canceled due to the configured timeout.") },
        };

        // Starting an export changes nothing in the directory: a second job after a lost answer is
        // harmless (the first is simply never read), so a start is retried like every other call.
        [Theory]
        [MemberData(nameof(LostStartAnswers))]
        public async Task A_start_whose_answer_was_lost_is_sent_again(string what, Func<HttpResponseMessage> failure)
        {
            int calls = 0;
            var handler = new ScriptedHandler((r, _) => Route(r, _ => Interlocked.Increment(ref calls) == 1 ? failure() : ScriptedHandler.Json("{\"errcode\":0,\"errmsg\":\"ok\",\"jobid\":\"j2\"}")));
            using WeComSession session = await Connect(handler);
            WeComExportJob job = await ExportOperations.StartAsync(session, ExportKind.User, EncodingAesKey.Generate(), null, null, CancellationToken.None);
            Assert.Equal("j2", job.JobId);
            Assert.True(calls == 2, $"after {what} the start was sent {calls} times");
        }

        [Fact]
        public async Task A_start_that_keeps_failing_gives_up_after_the_policy_limit()
        {
            var handler = new ScriptedHandler((r, _) => Route(r, _ => ScriptedHandler.Json("busy", HttpStatusCode.ServiceUnavailable)));
            using WeComSession session = await Connect(handler);
            var ex = await Assert.ThrowsAsync<WeComHttpException>(() => ExportOperations.StartAsync(session, ExportKind.User, EncodingAesKey.Generate(), null, null, CancellationToken.None));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
            Assert.Equal(1 + session.RetryPolicy.MaxRetries, handler.CountOf("export/user"));
        }

        [Fact]
        public async Task A_start_that_WeCom_refused_as_busy_is_sent_again()
        {
            int calls = 0;
            var handler = new ScriptedHandler((r, _) => Route(r, _ => Interlocked.Increment(ref calls) == 1 ? ScriptedHandler.Error(45033) : ScriptedHandler.Json("{\"errcode\":0,\"errmsg\":\"ok\",\"jobid\":\"j2\"}")));
            using WeComSession session = await Connect(handler);
            WeComExportJob job = await ExportOperations.StartAsync(session, ExportKind.User, EncodingAesKey.Generate(), null, null, CancellationToken.None);
            Assert.Equal("j2", job.JobId);
            Assert.Equal(2, calls);
        }

        [Fact]
        public async Task A_session_disconnected_under_a_running_call_says_so()
        {
            WeComSession? session = null;
            var handler = new ScriptedHandler((r, _) =>
            {
                if (r.RequestUri!.AbsolutePath.EndsWith("/gettoken", StringComparison.Ordinal))
                {
                    return ScriptedHandler.Token();
                }

                // Disconnect from "another runspace" while this call is in flight.
                session!.Dispose();
                throw new ObjectDisposedException("HttpClient");
            });
            session = await Connect(handler);
            var ex = await Assert.ThrowsAsync<WeComException>(() => ExportOperations.GetResultAsync(session, "job1", CancellationToken.None));
            Assert.Equal("WeComSessionDisconnected", ex.ErrorId);
        }

        [Fact]
        public async Task Bad_parameters_are_not_retried()
        {
            var handler = new ScriptedHandler((r, _) => Route(r, _ => ScriptedHandler.Error(40058, "invalid parameter")));
            using WeComSession session = await Connect(handler);
            var ex = await Assert.ThrowsAsync<WeComApiException>(() => ExportOperations.StartAsync(session, ExportKind.User, EncodingAesKey.Generate(), null, null, CancellationToken.None));
            Assert.Equal("WeCom.40058", ex.ErrorId);
            Assert.Contains("invalid parameter", ex.Message, StringComparison.Ordinal);
            Assert.Equal(1, handler.CountOf("export/user"));
        }

        [Fact]
        public async Task Many_concurrent_calls_share_one_token_fetch()
        {
            var handler = new ScriptedHandler((r, _) => Route(r, _ => ScriptedHandler.Json("{\"errcode\":0,\"errmsg\":\"ok\",\"status\":0}")));
            using WeComSession session = await Connect(handler);
            // Revoke the cached token so all calls find it stale at once.
            session.Api.Tokens.Invalidate(Token);
            await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => ExportOperations.GetResultAsync(session, "job1", CancellationToken.None))));
            Assert.Equal(2, handler.CountOf("/gettoken"));
        }

        [Fact]
        public async Task Start_sends_the_key_block_size_and_tag_and_returns_a_job_with_its_key()
        {
            var handler = new ScriptedHandler((r, _) => Route(r, _ => ScriptedHandler.Json("{\"errcode\":0,\"errmsg\":\"ok\",\"jobid\":\"jobid_abc\"}")));
            using WeComSession session = await Connect(handler);
            EncodingAesKey key = EncodingAesKey.Generate();
            WeComExportJob job = await ExportOperations.StartAsync(session, ExportKind.TagUser, key, 10000, 7, CancellationToken.None);
            Assert.Equal("jobid_abc", job.JobId);
            Assert.Equal(ExportKind.TagUser, job.Kind);
            Assert.Equal(7, job.TagId);
            Assert.Same(key, job.Key);
            Assert.Same(session, job.Session);
            string request = handler.Requests.Single(r => r.Contains("export/taguser", StringComparison.Ordinal));
            Assert.Contains("\"tagid\":7", request, StringComparison.Ordinal);
            Assert.Contains("\"encoding_aeskey\":\"" + key.Reveal() + "\"", request, StringComparison.Ordinal);
            Assert.Contains("\"block_size\":10000", request, StringComparison.Ordinal);
            Assert.DoesNotContain(key.Reveal(), job.ToString(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(9999)]
        [InlineData(1000001)]
        public async Task Block_sizes_outside_the_documented_range_fail_before_any_request(int blockSize)
        {
            var handler = new ScriptedHandler((r, _) => Route(r, _ => ScriptedHandler.Json("{\"errcode\":0,\"errmsg\":\"ok\",\"jobid\":\"j\"}")));
            using WeComSession session = await Connect(handler);
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ExportOperations.StartAsync(session, ExportKind.User, EncodingAesKey.Generate(), blockSize, null, CancellationToken.None));
            Assert.Equal(0, handler.CountOf("export/user"));
        }

        [Fact]
        public async Task Get_result_parses_status_and_blocks_in_order()
        {
            const string answer = "{\"errcode\":0,\"errmsg\":\"ok\",\"status\":2,\"data_list\":[{\"url\":\"https://dl.example.test/a?authkey=k1\",\"size\":96,\"md5\":\"E8BAC67F46DC61C51B649397ED17B237\"},{\"url\":\"https://dl.example.test/b\",\"size\":32,\"md5\":\"00000000000000000000000000000000\"}]}";
            var handler = new ScriptedHandler((r, _) => Route(r, _ => ScriptedHandler.Json(answer)));
            using WeComSession session = await Connect(handler);
            WeComExportResult result = await ExportOperations.GetResultAsync(session, "job1", CancellationToken.None);
            Assert.Equal(ExportStatus.Done, result.Status);
            Assert.Equal(2, result.BlockCount);
            Assert.Equal(128, result.TotalSize);
            Assert.Equal(0, result.Blocks[0].Index);
            Assert.Equal("e8bac67f46dc61c51b649397ed17b237", result.Blocks[0].Md5);
            Assert.Equal(1, result.Blocks[1].Index);
        }

        [Fact]
        public async Task Wait_reports_a_failed_job_and_a_timeout_as_distinct_errors()
        {
            var failed = new ScriptedHandler((r, _) => Route(r, _ => ScriptedHandler.Json("{\"errcode\":0,\"errmsg\":\"ok\",\"status\":3}")));
            using WeComSession s1 = await Connect(failed);
            var f = await Assert.ThrowsAsync<WeComExportFailedException>(() => ExportOperations.WaitAsync(s1, "job1", null, TimeSpan.FromMilliseconds(10), null, CancellationToken.None));
            Assert.Equal("WeComExportFailed", f.ErrorId);

            var slow = new ScriptedHandler((r, _) => Route(r, _ => ScriptedHandler.Json("{\"errcode\":0,\"errmsg\":\"ok\",\"status\":1}")));
            using WeComSession s2 = await Connect(slow);
            var t = await Assert.ThrowsAsync<WeComExportTimeoutException>(() => ExportOperations.WaitAsync(s2, "job1", TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(20), null, CancellationToken.None));
            Assert.Equal("WeComExportTimeout", t.ErrorId);
            // More than one poll (it waits and asks again), far fewer than a busy loop; 1 s leaves room for a loaded machine.
            int polls = slow.CountOf("get_result");
            Assert.InRange(polls, 2, 100);
        }

        [Fact]
        public async Task Log_lines_never_show_the_secret_or_token()
        {
            var lines = new ConcurrentQueue<string>();
            var handler = new ScriptedHandler((r, n) => Route(r, _ => n == 2 ? ScriptedHandler.Error(-1) : ScriptedHandler.Json("{\"errcode\":0,\"errmsg\":\"ok\",\"status\":1}")));
            EncodingAesKey key = EncodingAesKey.Generate();
            using (WeComLog.BeginScope((_, line) => lines.Enqueue(line)))
            {
                using WeComSession session = await Connect(handler);
                await ExportOperations.GetResultAsync(session, "job1", CancellationToken.None);
                try
                {
                    await ExportOperations.StartAsync(session, ExportKind.User, key, null, null, CancellationToken.None);
                }
                catch (WeComException)
                {
                    // The scripted answer has no jobid; only the log lines matter here.
                }
            }

            Assert.Contains(lines, l => l.Contains("access_token=***", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("corpsecret=***", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("retry 1 of", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains(Secret, StringComparison.Ordinal) || l.Contains(Token, StringComparison.Ordinal) || l.Contains(key.Reveal(), StringComparison.Ordinal));
        }

        [Fact]
        public void Unknown_errcodes_fail_at_once_with_a_lookup_link()
        {
            WeComErrorInfo info = WeComErrorCodes.Describe(12345);
            Assert.Equal(WeComRecovery.None, info.Recovery);
            Assert.Contains("e=12345", info.Hint, StringComparison.Ordinal);
        }
    }
}

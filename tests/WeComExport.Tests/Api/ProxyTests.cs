using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Crypto;
using WeComExport.Emulator;
using WeComExport.Export;
using WeComExport.Records;
using WeComExport.Security;
using Xunit;

namespace WeComExport.Tests.Api
{
    /// <summary>
    /// A session with an explicit proxy, over real HTTP: the in-process emulator behind a loopback forward
    /// proxy (<see cref="ForwardProxy"/>). On .NET, a WebProxy with BypassProxyOnLocal = false sends
    /// loopback requests through the proxy too, so every call and download must show up there.
    /// </summary>
    public sealed class ProxyTests : IAsyncLifetime
    {
        private const string ProxyUser = "proxy-user";
        private const string ProxyPassword = "Proxy-Pa55word-must-never-show";

        private EmulatorServer emulator = null!;
        private EmulatorCorp corp = null!;

        public async Task InitializeAsync()
        {
            emulator = await EmulatorServer.StartAsync(new EmulatorOptions { Members = 200, JobDelay = TimeSpan.FromMilliseconds(20) });
            corp = emulator.Corps[0];
        }

        public async Task DisposeAsync() => await emulator.DisposeAsync();

        private Task<WeComSession> Connect(WeComProxy proxy) =>
            WeComSession.ConnectAsync(corp.CorpId, SecureText.From(corp.Secret), emulator.BaseUri, proxy, CancellationToken.None);

        [Fact]
        public async Task A_department_export_goes_wholly_through_the_proxy_with_its_credentials()
        {
            await using ForwardProxy proxy = await ForwardProxy.StartAsync(ProxyUser, ProxyPassword);
            using WeComSession session = await Connect(new WeComProxy(proxy.Address, ProxyUser, SecureText.From(ProxyPassword)));
            session.RetryPolicy.BaseDelay = TimeSpan.FromMilliseconds(10);

            WeComExportJob job = await ExportOperations.StartAsync(session, ExportKind.Department, EncodingAesKey.Generate(), null, null, CancellationToken.None);
            job.LastResult = await ExportOperations.WaitAsync(session, job.JobId, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50), null, CancellationToken.None);
            var records = new List<WeComRecord>();
            await ExportReceiver.ReceiveRecordsAsync(session, job, records.Add, null, CancellationToken.None);

            Assert.NotEmpty(records);
            Assert.All(records, r => Assert.IsType<WeComDepartment>(r));
            string[] seen = proxy.Forwarded.ToArray();
            Assert.Contains("/cgi-bin/gettoken", seen);
            Assert.Contains("/cgi-bin/export/department", seen);
            Assert.Contains("/cgi-bin/export/get_result", seen);
            Assert.All(job.LastResult!.Blocks, b => Assert.Contains(b.Url.AbsolutePath, seen));
            Assert.Contains(proxy.Authorizations, a => a.StartsWith("Basic ", StringComparison.Ordinal));

            // The session shows where the proxy is, never who or with what password.
            Assert.Equal(WeComEndpoint.Describe(proxy.Address), session.Proxy);
            Assert.Contains("through proxy " + session.Proxy, session.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(ProxyPassword, session.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public async Task Disconnect_forgets_the_proxy_password_too()
        {
            await using ForwardProxy proxy = await ForwardProxy.StartAsync(ProxyUser, ProxyPassword);
            WeComSession session = await Connect(new WeComProxy(proxy.Address, ProxyUser, SecureText.From(ProxyPassword)));
            Assert.Contains(ObjectGraph.Reachable<System.Security.SecureString>(session, stopAtHandlers: false), s => SecureText.Reveal(s) == ProxyPassword);

            session.Dispose();

            // Walked through the session's own (disposed) handler too: no credential, and no readable copy of the password.
            Assert.DoesNotContain(ObjectGraph.Reachable<System.Net.NetworkCredential>(session, stopAtHandlers: false), c => c.Password == ProxyPassword);
            foreach (System.Security.SecureString copy in ObjectGraph.Reachable<System.Security.SecureString>(session, stopAtHandlers: false))
            {
                string? revealed = null;
                try
                {
                    revealed = SecureText.Reveal(copy);
                }
                catch (ObjectDisposedException)
                {
                    // Destroyed: its memory is zeroed.
                }

                Assert.NotEqual(ProxyPassword, revealed);
            }
        }

        [Fact]
        public async Task Without_a_proxy_nothing_reaches_it()
        {
            await using ForwardProxy proxy = await ForwardProxy.StartAsync();
            using WeComSession session = await WeComSession.ConnectAsync(corp.CorpId, SecureText.From(corp.Secret), emulator.BaseUri, CancellationToken.None);
            Assert.Null(session.Proxy);
            Assert.Empty(proxy.Forwarded);
        }

        [Theory]
        [InlineData("wrong-password")]
        [InlineData(null)]
        public async Task Refused_proxy_credentials_fail_at_once_with_a_clear_HTTP_error_that_shows_no_password(string? given)
        {
            await using ForwardProxy proxy = await ForwardProxy.StartAsync(ProxyUser, ProxyPassword);
            var settings = given is null ? new WeComProxy(proxy.Address) : new WeComProxy(proxy.Address, ProxyUser, SecureText.From(given));

            var ex = await Assert.ThrowsAsync<WeComHttpException>(() => Connect(settings));

            Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, ex.StatusCode);
            Assert.Equal(WeComErrors.HttpError.ErrorId, ex.ErrorId);
            Assert.Contains("proxy refused", ex.Message, StringComparison.Ordinal);
            Assert.Contains("-ProxyCredential", ex.Message, StringComparison.Ordinal);
            // Not transient: one attempt (with credentials, .NET answers the Basic challenge once more), no retries.
            Assert.InRange(proxy.Refused, 1, given is null ? 1 : 2);
            Assert.Empty(proxy.Forwarded);
            Assert.DoesNotContain(ProxyPassword, ex.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-password", ex.ToString(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("http://user:" + ProxyPassword + "@proxy.example:3128", "user info")]
        [InlineData("socks5://127.0.0.1:1080", "only http:// and https://")]
        [InlineData("ftp://proxy.example", "only http:// and https://")]
        public void Proxy_addresses_other_than_plain_http_or_https_are_refused_without_showing_user_info(string address, string reason)
        {
            var ex = Assert.Throws<WeComException>(() => new WeComProxy(new Uri(address)));
            Assert.Equal(WeComErrors.InvalidProxy.ErrorId, ex.ErrorId);
            Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(ProxyPassword, ex.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void A_proxy_shows_only_scheme_host_and_port()
        {
            var proxy = new WeComProxy(new Uri("https://proxy.example:8443/some/path?q=1"), ProxyUser, SecureText.From(ProxyPassword));
            Assert.Equal("https://proxy.example:8443", proxy.ToString());
            Assert.Equal("https://proxy.example:8443", proxy.Address);
            Assert.Equal(ProxyUser, proxy.UserName);
        }
    }
}

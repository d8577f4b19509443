using System;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Diagnostics;
using WeComExport.Security;
using Xunit;

namespace WeComExport.Tests.Api
{
    /// <summary>The one address rule (HTTPS, or HTTP to loopback only; no user info), for the API and for downloads.</summary>
    public class EndpointRuleTests
    {
        private static readonly Uri EmulatorBase = new("http://127.0.0.1:5000/");

        [Theory]
        [InlineData("https://qyapi.weixin.qq.com", true)]
        [InlineData("https://szfront.wxwork.qq.com/downloadobject?fileid=f&authkey=AUTHSECRET&filename=data_0.json", true)]
        [InlineData("http://127.0.0.1:5000/download/j/0?authkey=AUTHSECRET", true)]
        [InlineData("http://localhost:5000", true)]
        [InlineData("http://[::1]:5000/d", true)]
        [InlineData("http://qyapi.weixin.qq.com", false)]
        [InlineData("http://example.com/d?authkey=AUTHSECRET", false)]
        [InlineData("http://10.0.0.5/d?authkey=AUTHSECRET", false)]
        [InlineData("file:///etc/passwd", false)]
        [InlineData("ftp://127.0.0.1/d?authkey=AUTHSECRET", false)]
        [InlineData("https://user:secretpw@dl.example.test/d?authkey=AUTHSECRET", false)]
        [InlineData("http://secretpw@127.0.0.1:5000/d", false)]
        public void The_api_address_and_download_urls_follow_one_rule(string url, bool accepted)
        {
            // With the emulator's API address (plain HTTP to loopback) downloads follow the API address rule.
            foreach (string? problem in new[] { WeComEndpoint.Validate(new Uri(url)), WeComEndpoint.ValidateDownload(new Uri(url), EmulatorBase) })
            {
                Assert.Equal(accepted, problem is null);
                Assert.DoesNotContain("AUTHSECRET", problem ?? string.Empty, StringComparison.Ordinal);
                Assert.DoesNotContain("secretpw", problem ?? string.Empty, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void A_relative_or_missing_download_url_is_refused()
        {
            Assert.NotNull(WeComEndpoint.ValidateDownload(new Uri("/d?authkey=AUTHSECRET", UriKind.Relative), EmulatorBase));
            Assert.NotNull(WeComEndpoint.ValidateDownload(null, EmulatorBase));
        }

        [Theory]
        [InlineData("https://qyapi.weixin.qq.com/", "https://szfront.wxwork.qq.com/d?authkey=AUTHSECRET", true)]
        [InlineData("https://qyapi.weixin.qq.com/", "http://127.0.0.1:8080/admin?authkey=AUTHSECRET", false)]
        [InlineData("https://qyapi.weixin.qq.com/", "http://localhost:6379/", false)]
        [InlineData("https://qyapi.weixin.qq.com/", "http://[::1]:2375/containers/json", false)]
        [InlineData("https://127.0.0.1:5001/", "http://127.0.0.1:5000/d", false)]
        [InlineData("https://127.0.0.1:5001/", "https://127.0.0.1:5001/d", true)]
        [InlineData("http://127.0.0.1:5000/", "http://127.0.0.1:5000/download/j/0?authkey=AUTHSECRET", true)]
        [InlineData("http://localhost:5000/", "http://127.0.0.1:5000/d", true)]
        [InlineData("http://[::1]:5000/", "http://localhost:5000/d", true)]
        [InlineData("http://127.0.0.1:5000/", "https://dl.example.test/d", true)]
        [InlineData("http://127.0.0.1:5000/", "http://example.com/d?authkey=AUTHSECRET", false)]
        public void Plain_http_downloads_only_when_the_api_address_is_plain_http_to_loopback(string apiBase, string url, bool accepted)
        {
            string? problem = WeComEndpoint.ValidateDownload(new Uri(url), new Uri(apiBase));
            Assert.Equal(accepted, problem is null);
            if (problem is not null)
            {
                Assert.Contains("HTTPS", problem, StringComparison.Ordinal);
                Assert.DoesNotContain("AUTHSECRET", problem, StringComparison.Ordinal);
                Assert.DoesNotContain("/admin", problem, StringComparison.Ordinal);
            }
        }

        [Theory]
        [InlineData("http://alice:Hunter2pw@127.0.0.1:5000")]
        [InlineData("https://alice:Hunter2pw@qyapi.weixin.qq.com")]
        [InlineData("https://Hunter2pw@qyapi.weixin.qq.com/")]
        public void User_info_in_the_api_address_is_refused_without_quoting_it(string uri)
        {
            string? problem = WeComEndpoint.Validate(new Uri(uri));
            Assert.NotNull(problem);
            Assert.Contains("user info is not allowed", problem, StringComparison.Ordinal);
            Assert.DoesNotContain("Hunter2pw", problem, StringComparison.Ordinal);
            Assert.DoesNotContain("alice", problem, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_session_is_never_made_with_user_info_in_its_address()
        {
            var handler = new ScriptedHandler((_, _) => ScriptedHandler.Token());
            var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => WeComSession.ConnectAsync("wwcorp", SecureText.From("s3cr3t"), new Uri("http://alice:Hunter2pw@127.0.0.1:5000"), CancellationToken.None, handler));
            Assert.Contains("user info is not allowed", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Hunter2pw", ex.Message, StringComparison.Ordinal);
            Assert.Empty(handler.Requests);
        }

        [Fact]
        public void Describe_shows_scheme_host_and_port_only()
        {
            Assert.Equal("http://127.0.0.1:81", WeComEndpoint.Describe(new Uri("http://user:password@127.0.0.1:81/cgi-bin/x?authkey=AUTHSECRET")));
            Assert.Equal("https://qyapi.weixin.qq.com", WeComEndpoint.Describe(new Uri("https://qyapi.weixin.qq.com/")));
        }

        [Fact]
        public void The_redactor_masks_user_info_of_a_uri_object()
        {
            string text = Redactor.Redact(new Uri("http://user:password@127.0.0.1:5000/x"));
            Assert.DoesNotContain("password", text, StringComparison.Ordinal);
            Assert.Contains("127.0.0.1:5000/x", text, StringComparison.Ordinal);
        }
    }
}

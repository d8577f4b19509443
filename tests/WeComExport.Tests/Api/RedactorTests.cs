using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Diagnostics;
using WeComExport.Tags;
using Xunit;

namespace WeComExport.Tests.Api
{
    public class RedactorTests
    {
        /// <summary>What a hostile server would put in errmsg: a colour, a fake line, a window title and a bell.</summary>
        private const string HostileErrMsg = "\u001b[31mred\r\nWARNING: fake line\u001b]0;title\u0007";

        [Theory]
        [InlineData("GET https://h/cgi-bin/gettoken?corpid=ww1&corpsecret=abc", "GET https://h/cgi-bin/gettoken?corpid=ww1&corpsecret=***")]
        [InlineData("GET https://h/x?access_token=T0K3N&jobid=j", "GET https://h/x?access_token=***&jobid=j")]
        [InlineData("GET https://dl/downloadobject?fileid=f&authkey=AK&filename=data_0.json", "GET https://dl/downloadobject?fileid=f&authkey=***&filename=data_0.json")]
        [InlineData("{\"encoding_aeskey\":\"KEY\",\"block_size\":10000}", "{\"encoding_aeskey\":\"***\",\"block_size\":10000}")]
        [InlineData("{\"errcode\":0,\"access_token\":\"T\",\"expires_in\":7200}", "{\"errcode\":0,\"access_token\":\"***\",\"expires_in\":7200}")]
        [InlineData("{\"url\":\"https://dl/d?fileid=F\\u0026authkey=AK\\u0026filename=x\"}", "{\"url\":\"https://dl/d?fileid=F\\u0026authkey=***\\u0026filename=x\"}")]
        [InlineData("GET http://user:password@127.0.0.1:5000/cgi-bin/x", "GET http://***@127.0.0.1:5000/cgi-bin/x")]
        [InlineData("'https://password@qyapi.weixin.qq.com' is refused", "'https://***@qyapi.weixin.qq.com' is refused")]
        [InlineData("https://h/x?to=a@b.example", "https://h/x?to=a@b.example")]
        [InlineData("mail zhangsan@gzdev.com", "mail zhangsan@gzdev.com")]
        [InlineData("nothing secret here", "nothing secret here")]
        [InlineData("{\"access\\u005ftoken\":\"T0K3N\"}", "{\"access_token\":\"***\"}")]
        [InlineData("{\"url\":\"https://dl/d?fileid=F\\u0026auth\\u006bey=AK\\u0026x=1\"}", "{\"url\":\"https://dl/d?fileid=F\\u0026authkey=***\\u0026x=1\"}")]
        [InlineData("{\"access_token\":\"ab\\\"cd\",\"n\":1}", "{\"access_token\":\"***\",\"n\":1}")]
        [InlineData("GET https://h/x?access_token=ab\\u0063d&jobid=j", "GET https://h/x?access_token=***&jobid=j")]
        [InlineData("{\"url\":\"https:\\/\\/dl\\/d?fileid=F\\u0026authkey=AK\\/TAIL\\u0026x=1\"}", "{\"url\":\"https://dl/d?fileid=F\\u0026authkey=***\\u0026x=1\"}")]
        [InlineData("{\"authkey\":\"AK1\"}", "{\"authkey\":\"***\"}")]
        [InlineData("echo https%3A%2F%2Fdl%2Fd%3Ffileid%3DF%26authkey%3DAK1%26x%3D1", "echo https%3A%2F%2Fdl%2Fd%3Ffileid%3DF%26authkey%3D***")]
        [InlineData("{\"errmsg\":\"echo {\\u0022access_token\\u0022:\\u0022SECRET2\\u0022}\"}", "{\"errmsg\":\"echo {\\\"access_token\\\":\\\"***\\\"}\"}")]
        [InlineData("{\"errmsg\":\"echo {\\\"access_token\\\":\\\"SECRET1\\\",\\\"n\\\":1}\"}", "{\"errmsg\":\"echo {\\\"access_token\\\":\\\"***\\\",\\\"n\\\":1}\"}")]
        public void Secrets_in_urls_and_json_are_masked(string input, string expected)
        {
            Assert.Equal(expected, Redactor.Redact(input));
        }

        [Theory]
        [InlineData("ab\"cd\"ef")]
        [InlineData("ab cd\tef")]
        [InlineData("ab'cd\\ef&x=1")]
        public void A_token_is_masked_whole_in_a_request_uri_whatever_it_holds(string token)
        {
            // How the client builds a request: the token percent-escaped into the query.
            var uri = new Uri("https://h/cgi-bin/export/get_result?access_token=" + Uri.EscapeDataString(token) + "&jobid=j");

            string shown = Redactor.Redact(uri);

            Assert.Equal("https://h/cgi-bin/export/get_result?access_token=***&jobid=j", shown);
        }

        [Theory]
        [InlineData("a\u001b[31mb", "a\\u001B[31mb")]
        [InlineData("line\r\nWARNING: fake", "line\\u000D\\u000AWARNING: fake")]
        [InlineData("bell\u0007 nul\u0000 tab\t", "bell\\u0007 nul\\u0000 tab\\u0009")]
        [InlineData("del\u007f", "del\\u007F")]
        [InlineData("c1 \u0085 csi \u009b2J \u009d0;t", "c1 \\u0085 csi \\u009B2J \\u009D0;t")]
        [InlineData("bidi \u202aa\u202bb\u202cc\u202dd\u202ee", "bidi \\u202Aa\\u202Bb\\u202Cc\\u202Dd\\u202Ee")]
        [InlineData("isolate \u2066a\u2067b\u2068c\u2069", "isolate \\u2066a\\u2067b\\u2068c\\u2069")]
        [InlineData("sep \u2028 \u2029", "sep \\u2028 \\u2029")]
        [InlineData("乒乓球协会 no-break\u00a0space é ok", "乒乓球协会 no-break\u00a0space é ok")]
        [InlineData("GET https://h/x?access_token=T0K\u001bN&jobid=j", "GET https://h/x?access_token=***&jobid=j")]
        public void Control_characters_and_bidi_overrides_are_shown_escaped(string input, string expected)
        {
            string shown = Redactor.Redact(input);
            Assert.Equal(expected, shown);
            Assert.Equal(shown, Redactor.Redact(shown));
        }

        [Fact]
        public async Task An_errmsg_with_terminal_escapes_reaches_the_message_escaped()
        {
            string json = "{\"errcode\":60011,\"errmsg\":" + System.Text.Json.JsonSerializer.Serialize(HostileErrMsg) + "}";
            var handler = new ScriptedHandler((r, _) => r.RequestUri!.AbsolutePath.EndsWith("/gettoken", StringComparison.Ordinal)
                ? ScriptedHandler.Token()
                : ScriptedHandler.Json(json));
            using WeComSession session = await handler.ConnectAsync("s3cr3t-value");

            var ex = await Assert.ThrowsAsync<WeComApiException>(() => TagOperations.ListAsync(session, CancellationToken.None));

            Assert.Equal("WeCom.60011", ex.ErrorId);
            foreach (string text in new[] { ex.Message, ex.ErrMsg })
            {
                Assert.DoesNotContain(text, c => c is '\u001b' or '\r' or '\n' or '\u0007');
                Assert.Contains("\\u001B[31mred\\u000D\\u000AWARNING: fake line\\u001B]0;title\\u0007", text, StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task The_debug_line_of_an_answer_shows_raw_escapes_escaped()
        {
            var lines = new ConcurrentQueue<(WeComLogLevel Level, string Text)>();
            var handler = new ScriptedHandler((r, _) => r.RequestUri!.AbsolutePath.EndsWith("/gettoken", StringComparison.Ordinal)
                ? ScriptedHandler.Token()
                : new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("{\"errcode\":0,\"taglist\":[],\"x\":\"\u001b[2J\u001b]0;pwned\u0007\r\nWARNING: fake\"}", Encoding.UTF8, "application/json") });
            using WeComSession session = await handler.ConnectAsync("s3cr3t-value");

            using (WeComLog.BeginScope((level, text) => lines.Enqueue((level, text))))
            {
                // A raw control character in a JSON string is not JSON: the answer is refused after it was logged.
                var ex = await Assert.ThrowsAnyAsync<WeComException>(() => TagOperations.ListAsync(session, CancellationToken.None));
                Assert.Equal("WeComInvalidAnswer", ex.ErrorId);
            }

            string answered = Assert.Single(lines, l => l.Level == WeComLogLevel.Debug && l.Text.StartsWith("tag/list answered", StringComparison.Ordinal)).Text;
            Assert.Contains("\\u001B[2J\\u001B]0;pwned\\u0007\\u000D\\u000AWARNING: fake", answered, StringComparison.Ordinal);
            Assert.All(lines, l => Assert.DoesNotContain(l.Text, c => char.IsControl(c)));
        }
    }
}

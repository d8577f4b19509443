using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Security;

namespace WeComExport.Tests.Api
{
    /// <summary>An engine-unit-test HTTP handler: answers each request with a script's JSON and records what was asked.</summary>
    internal sealed class ScriptedHandler : HttpMessageHandler
    {
        private readonly Func<HttpRequestMessage, int, HttpResponseMessage> answer;
        private int calls;

        public ScriptedHandler(Func<HttpRequestMessage, int, HttpResponseMessage> answer) => this.answer = answer;

        /// <summary>The API address sessions over this handler use; nothing listens there.</summary>
        public static Uri BaseUri { get; } = new("https://qyapi.example.test");

        public ConcurrentQueue<string> Requests { get; } = new();

        public int CountOf(string path)
        {
            int n = 0;
            foreach (string r in Requests)
            {
                if (r.Contains(path, StringComparison.Ordinal))
                {
                    n++;
                }
            }

            return n;
        }

        /// <summary>A session for corp "wwcorp" over this handler (at <see cref="BaseUri"/> unless <paramref name="baseUri"/> is given), whose retries do not wait.</summary>
        public async Task<WeComSession> ConnectAsync(string secret, Uri? baseUri = null)
        {
            WeComSession session = await WeComSession.ConnectAsync("wwcorp", SecureText.From(secret), baseUri ?? BaseUri, CancellationToken.None, this);
            session.RetryPolicy.Delay = (_, _) => Task.CompletedTask;
            return session;
        }

        public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
            new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

        public static HttpResponseMessage Token(string token = "tok-abcdef123456", int expiresIn = 7200) =>
            Json($"{{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"{token}\",\"expires_in\":{expiresIn}}}");

        public static HttpResponseMessage Error(int code, string msg = "error") =>
            Json($"{{\"errcode\":{code},\"errmsg\":\"{msg}, hint: [123], more info at https://open.work.weixin.qq.com/devtool/query?e={code}\"}}");

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = request.Content is null ? string.Empty : " " + await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Enqueue(request.Method + " " + request.RequestUri + body);
            return answer(request, Interlocked.Increment(ref calls));
        }
    }
}

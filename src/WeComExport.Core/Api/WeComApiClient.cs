using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Diagnostics;
using WeComExport.Security;

namespace WeComExport.Api
{
    /// <summary>
    /// One corp's HTTP client for the WeCom API: adds the access token, turns errcodes into
    /// exceptions, refreshes the token once on 40014/42001 and retries transient failures.
    /// </summary>
    internal sealed class WeComApiClient : IDisposable
    {
        /// <summary>
        /// The most of a /cgi-bin answer that is read. WeCom's answers are small (a get_result lists one
        /// URL per block, a tag/list a few thousand tags: kilobytes); 4 MiB leaves ample room, while a
        /// wrong or hostile server at the API address cannot make the module buffer an unbounded body.
        /// </summary>
        internal const int MaxAnswerBytes = 4 * 1024 * 1024;

        private const int AnswerReadChunk = 16 * 1024;
        private const int DefaultTokenLifetimeSeconds = 7200;
        private static readonly TimeSpan ApiCallTimeout = TimeSpan.FromSeconds(60);
        private static readonly string UserAgent = "WeComExport/" + typeof(WeComApiClient).Assembly.GetName().Version?.ToString(3);

        private readonly HttpClient http;
        private readonly string corpId;
        private readonly SecureString secret;
        private readonly WeComProxy? proxy;
        private WebProxy? webProxy;

        public WeComApiClient(string corpId, SecureString secret, Uri baseUri, HttpMessageHandler? handler, RetryPolicy retry, WeComProxy? proxy = null)
        {
            this.corpId = corpId;
            this.secret = secret.Copy();
            this.secret.MakeReadOnly();
            this.proxy = proxy;
            BaseUri = WeComEndpoint.Normalize(baseUri);
            Retry = retry;
            http = handler is null ? new HttpClient(CreateHandler(), disposeHandler: true) : new HttpClient(handler, disposeHandler: false);
            // Downloads can take long; API calls get their own timeout below.
            http.Timeout = Timeout.InfiniteTimeSpan;
            http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
            Tokens = new TokenCache(FetchTokenAsync);
        }

        public Uri BaseUri { get; }

        public RetryPolicy Retry { get; }

        public TokenCache Tokens { get; }

        public Task<JsonElement> GetAsync(string api, CancellationToken cancellationToken, params (string Name, string Value)[] query) =>
            CallAsync(HttpMethod.Get, api, query, null, cancellationToken);

        /// <summary>
        /// A POST (starting an export), retried like every call: a start changes nothing in the directory,
        /// so when its answer is lost (timeout, 5xx, broken connection) a second job is harmless; the first is never read.
        /// </summary>
        public Task<JsonElement> PostAsync(string api, byte[] jsonBody, CancellationToken cancellationToken) =>
            CallAsync(HttpMethod.Post, api, Array.Empty<(string, string)>(), jsonBody, cancellationToken);

        /// <summary>
        /// Starts a download from byte <paramref name="offset"/> (with HTTP Range when above 0); the caller reads and
        /// disposes the response. Asks for the bytes as they are (Accept-Encoding: identity). Follows redirects
        /// itself, at most <see cref="DownloadTarget.MaxRedirects"/>, and refuses the URL and every hop that breaks
        /// the download rule for this client's <see cref="BaseUri"/> before connecting to it (WeComInvalidAnswer:
        /// HTTPS, or plain HTTP to loopback only when the API address is one). Other non-2xx statuses throw.
        /// </summary>
        public async Task<HttpResponseMessage> OpenDownloadAsync(Uri url, long offset, CancellationToken cancellationToken)
        {
            DownloadTarget.ThrowIfRefused(url, BaseUri, redirected: false);
            Uri target = url;
            for (int hops = 0; ; hops++)
            {
                WeComLog.Verbose("GET " + Redactor.Redact(target) + (offset > 0 ? " (Range: bytes=" + Invariant(offset) + "-)" : string.Empty));
                HttpResponseMessage response;
                using (var request = new HttpRequestMessage(HttpMethod.Get, target))
                {
                    request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
                    if (offset > 0)
                    {
                        request.Headers.Range = new RangeHeaderValue(offset, null);
                    }

                    try
                    {
                        response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                    }
                    catch (HttpRequestException ex)
                    {
                        throw new WeComHttpException($"The download of {Redactor.Redact(target)} failed: {Redactor.Redact(ex.Message)}", null, ex);
                    }
                    catch (ObjectDisposedException ex)
                    {
                        throw Disconnected(ex);
                    }
                }

                HttpStatusCode status = response.StatusCode;
                if (DownloadTarget.IsRedirect(status))
                {
                    Uri? location = response.Headers.Location;
                    response.Dispose();
                    target = DownloadTarget.Next(target, location, status, hops, BaseUri);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    response.Dispose();
                    throw new WeComHttpException($"The download of {Redactor.Redact(target)} answered HTTP {(int)status} {status}.", status);
                }

                return response;
            }
        }

        public void Dispose()
        {
            http.Dispose();
            Tokens.Dispose();
            secret.Dispose();
            // Disconnect forgets the proxy's password too: the disposed handler still holds its WebProxy.
            if (webProxy is not null)
            {
                webProxy.Credentials = null;
            }

            proxy?.ForgetPassword();
        }

        private HttpClientHandler CreateHandler()
        {
            var handler = NewHandler();
            if (proxy is not null)
            {
                // An explicit proxy replaces the default one (HTTPS_PROXY/HTTP_PROXY/NO_PROXY, the system setting).
                handler.UseProxy = true;
                handler.Proxy = webProxy = proxy.CreateWebProxy();
            }

            return handler;
        }

        private static HttpClientHandler NewHandler() => new()
        {
            // A block's size and MD5 are of the bytes as sent: nothing is decompressed (a gzip body could
            // expand without bound), and no compressed answer is asked for.
            AutomaticDecompression = DecompressionMethods.None,
            // OpenDownloadAsync follows download redirects itself, checking each hop against the
            // HTTPS-or-loopback rule; an API call answered with a redirect fails as an HTTP error.
            AllowAutoRedirect = false,
        };

        // Disconnect-WeCom in another runspace disposes the client under a running call: say so plainly.
        private static WeComException Disconnected(ObjectDisposedException ex) =>
            new(WeComErrors.SessionDisconnected, "The session was disconnected while this call was running.", ex);

        private async Task<JsonElement> CallAsync(HttpMethod method, string api, (string Name, string Value)[] query, byte[]? body, CancellationToken cancellationToken)
        {
            try
            {
                return await CallWithRetryAsync(method, api, query, body, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectDisposedException ex)
            {
                throw Disconnected(ex);
            }
        }

        private Task<JsonElement> CallWithRetryAsync(HttpMethod method, string api, (string Name, string Value)[] query, byte[]? body, CancellationToken cancellationToken) =>
            Retry.ExecuteAsync(api, async ct =>
            {
                string token = await Tokens.GetAsync(ct).ConfigureAwait(false);
                try
                {
                    return await SendAsync(method, api, query.Prepend(("access_token", token)), body, ct).ConfigureAwait(false);
                }
                catch (WeComApiException ex) when (ex.Recovery == WeComRecovery.RefreshToken)
                {
                    WeComLog.Verbose($"{api}: the access token was rejected ({ex.ErrCode}); fetching a new one and retrying once.");
                    Tokens.Invalidate(token);
                    token = await Tokens.GetAsync(ct).ConfigureAwait(false);
                    return await SendAsync(method, api, query.Prepend(("access_token", token)), body, ct).ConfigureAwait(false);
                }
            }, cancellationToken);

        private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(CancellationToken cancellationToken)
        {
            const string api = "gettoken";
            JsonElement answer = await SendAsync(
                HttpMethod.Get,
                api,
                new[] { ("corpid", corpId), ("corpsecret", SecureText.Reveal(secret)) },
                null,
                cancellationToken).ConfigureAwait(false);
            var fields = new WeComAnswer(api, answer);
            string token = fields.String("access_token");
            if (token.Length == 0)
            {
                throw fields.Invalid("an empty 'access_token'");
            }

            // WeCom always says how long the token lives (normally 7200 s); when it does not, assume that.
            int seconds = fields.Int32("expires_in", 1, int.MaxValue, whenAbsent: DefaultTokenLifetimeSeconds);
            return (token, TimeSpan.FromSeconds(seconds));
        }

        private async Task<JsonElement> SendAsync(HttpMethod method, string api, System.Collections.Generic.IEnumerable<(string Name, string Value)> query, byte[]? body, CancellationToken cancellationToken)
        {
            var uri = new Uri(BaseUri, "cgi-bin/" + api + "?" + string.Join("&", query.Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value))));
            WeComLog.Verbose($"{method} {Redactor.Redact(uri)}");
            using var request = new HttpRequestMessage(method, uri);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                WeComLog.Debug("body: " + Encoding.UTF8.GetString(body));
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ApiCallTimeout);
            string text;
            try
            {
                // Headers only: the body is read below, incrementally and bounded, never buffered whole.
                using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                // .NET Framework's body reads ignore cancellation: disposing the response unblocks them.
                using CancellationTokenRegistration unblock = timeout.Token.Register(response.Dispose);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new WeComHttpException($"{api} answered HTTP {(int)response.StatusCode} {response.StatusCode}.", response.StatusCode);
                }

                text = await ReadAnswerAsync(api, response.Content, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when ((ex is OperationCanceledException or ObjectDisposedException or IOException or HttpRequestException) && timeout.IsCancellationRequested)
            {
                // The timeout (or the caller) cancelled the call; a read cut short by the disposed response says so in its own words.
                cancellationToken.ThrowIfCancellationRequested();
                throw new WeComHttpException($"{api} got no answer within {ApiCallTimeout.TotalSeconds} s.", HttpStatusCode.RequestTimeout, ex);
            }
            catch (HttpRequestException ex)
            {
                throw new WeComHttpException($"{api} failed: {Redactor.Redact(ex.Message)}", null, ex);
            }
            catch (IOException ex)
            {
                throw new WeComHttpException($"{api} failed: {Redactor.Redact(ex.Message)}", null, ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // A handler's own timeout (HttpClient-level) looks the same: an answer that did not come.
                throw new WeComHttpException($"{api} got no answer within {ApiCallTimeout.TotalSeconds} s.", HttpStatusCode.RequestTimeout, ex);
            }

            WeComLog.Debug($"{api} answered: {text}");
            return ParseAnswer(api, text);
        }

        /// <summary>
        /// The answer's text, read <see cref="AnswerReadChunk"/> bytes at a time and at most
        /// <see cref="MaxAnswerBytes"/>: a longer answer is refused as soon as it is known to be longer
        /// (at once when its Content-Length says so), and the connection is dropped unread.
        /// </summary>
        private static async Task<string> ReadAnswerAsync(string api, HttpContent? content, CancellationToken cancellationToken)
        {
            if (content is null)
            {
                return string.Empty;
            }

            if (content.Headers.ContentLength > MaxAnswerBytes)
            {
                throw TooLarge(api);
            }

            using Stream body = await content.ReadAsStreamAsync().ConfigureAwait(false);
            using var answer = new MemoryStream();
            byte[] chunk = new byte[AnswerReadChunk];
            int read;
            while ((read = await body.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (answer.Length + read > MaxAnswerBytes)
                {
                    throw TooLarge(api);
                }

                answer.Write(chunk, 0, read);
            }

            // WeCom answers in UTF-8; a byte-order mark is skipped.
            byte[] bytes = answer.GetBuffer();
            int length = (int)answer.Length;
            int start = length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            return Encoding.UTF8.GetString(bytes, start, length - start);
        }

        private static WeComException TooLarge(string api) =>
            WeComAnswer.Invalid(api, string.Format(CultureInfo.InvariantCulture, "with a body that exceeded {0} bytes, the most an API answer may have", MaxAnswerBytes));

        private static JsonElement ParseAnswer(string api, string text)
        {
            JsonElement root;
            try
            {
                using JsonDocument document = JsonDocument.Parse(text);
                root = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw WeComAnswer.Invalid(api, "with something that is not JSON", ex);
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw WeComAnswer.Invalid(api, "with JSON that is not an object");
            }

            // Before anything is read: a repeated errcode (status, jobid, ...) must not let the last copy win.
            WeComAnswer.ThrowIfRepeated(api, root);

            // Every answer carries errcode; without one it is taken as success. Present, it must be a
            // 32-bit whole number: a garbled code (a string, 2^32) must not pass for 0 = success.
            int errcode = new WeComAnswer(api, root).Int32("errcode", int.MinValue, int.MaxValue, whenAbsent: 0);
            if (errcode != 0)
            {
                // errmsg only explains the failure: of another type it is left out rather than hiding the errcode.
                string errmsg = root.TryGetProperty("errmsg", out JsonElement msg) && msg.ValueKind == JsonValueKind.String ? msg.GetString()! : string.Empty;
                throw new WeComApiException(api, errcode, errmsg);
            }

            return root;
        }

        internal static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}

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
        private static readonly TimeSpan ApiCallTimeout = TimeSpan.FromSeconds(60);
        private static readonly string UserAgent = "WeComExport/" + typeof(WeComApiClient).Assembly.GetName().Version?.ToString(3);

        private readonly HttpClient http;
        private readonly string corpId;
        private readonly SecureString secret;

        public WeComApiClient(string corpId, SecureString secret, Uri baseUri, HttpMessageHandler? handler, RetryPolicy retry)
        {
            this.corpId = corpId;
            this.secret = secret.Copy();
            this.secret.MakeReadOnly();
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

        /// <summary>A POST that creates something (an export job): resent only when WeCom answered that it did nothing.</summary>
        public Task<JsonElement> PostAsync(string api, byte[] jsonBody, CancellationToken cancellationToken) =>
            CallAsync(HttpMethod.Post, api, Array.Empty<(string, string)>(), jsonBody, cancellationToken);

        /// <summary>
        /// Starts a download from byte <paramref name="offset"/> (with HTTP Range when above 0); the caller reads and
        /// disposes the response. Asks for the bytes as they are (Accept-Encoding: identity). Follows redirects
        /// itself, at most <see cref="DownloadTarget.MaxRedirects"/>, and refuses the URL and every hop that breaks
        /// the HTTPS-or-loopback rule before connecting to it (WeComInvalidAnswer). Other non-2xx statuses throw.
        /// </summary>
        public async Task<HttpResponseMessage> OpenDownloadAsync(Uri url, long offset, CancellationToken cancellationToken)
        {
            DownloadTarget.ThrowIfRefused(url, redirected: false);
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
                    target = DownloadTarget.Next(target, location, status, hops);
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
        }

        private static HttpClientHandler CreateHandler() => new()
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
            new("WeComSessionDisconnected", WeComErrorKind.InvalidArgument, "The session was disconnected while this call was running.", "Connect again with Connect-WeCom.", ex);

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
            Retry.ExecuteAsync(api, idempotent: method == HttpMethod.Get, async ct =>
            {
                string token = await Tokens.GetAsync(ct).ConfigureAwait(false);
                try
                {
                    return await SendAsync(method, api, query.Prepend(("access_token", token)), body, ct).ConfigureAwait(false);
                }
                catch (WeComApiException ex) when (WeComErrorCodes.Describe(ex.ErrCode).Recovery == WeComRecovery.RefreshToken)
                {
                    WeComLog.Verbose($"{api}: the access token was rejected ({ex.ErrCode}); fetching a new one and retrying once.");
                    Tokens.Invalidate(token);
                    token = await Tokens.GetAsync(ct).ConfigureAwait(false);
                    return await SendAsync(method, api, query.Prepend(("access_token", token)), body, ct).ConfigureAwait(false);
                }
            }, cancellationToken);

        private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(CancellationToken cancellationToken)
        {
            JsonElement answer = await SendAsync(
                HttpMethod.Get,
                "gettoken",
                new[] { ("corpid", corpId), ("corpsecret", SecureText.Reveal(secret)) },
                null,
                cancellationToken).ConfigureAwait(false);
            string? token = answer.TryGetProperty("access_token", out JsonElement t) ? t.GetString() : null;
            if (string.IsNullOrEmpty(token))
            {
                throw new WeComException("WeComInvalidAnswer", WeComErrorKind.InvalidData, "gettoken answered without an access_token.");
            }

            int seconds = answer.TryGetProperty("expires_in", out JsonElement e) && e.TryGetInt32(out int s) && s > 0 ? s : 7200;
            return (token!, TimeSpan.FromSeconds(seconds));
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
                using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new WeComHttpException($"{api} answered HTTP {(int)response.StatusCode} {response.StatusCode}.", response.StatusCode);
                }

                text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
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
                throw new WeComHttpException($"{api} got no answer within {ApiCallTimeout.TotalSeconds} s.", HttpStatusCode.RequestTimeout, ex);
            }

            WeComLog.Debug($"{api} answered: {text}");
            return ParseAnswer(api, text);
        }

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
                throw new WeComException("WeComInvalidAnswer", WeComErrorKind.InvalidData, $"{api} answered with something that is not JSON.", "Check -ApiBaseUri: it should point at the WeCom API.", ex);
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new WeComException("WeComInvalidAnswer", WeComErrorKind.InvalidData, $"{api} answered with JSON that is not an object.", "Check -ApiBaseUri: it should point at the WeCom API.");
            }

            int errcode = root.TryGetProperty("errcode", out JsonElement code) && code.TryGetInt32(out int c) ? c : 0;
            if (errcode != 0)
            {
                string errmsg = root.TryGetProperty("errmsg", out JsonElement msg) ? msg.GetString() ?? string.Empty : string.Empty;
                throw new WeComApiException(api, errcode, errmsg);
            }

            return root;
        }

        internal static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}

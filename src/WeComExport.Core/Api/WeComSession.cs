using System;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace WeComExport.Api
{
    /// <summary>
    /// A connection to one corp: its CorpID, the API address, and a cached, self-refreshing access
    /// token. Holds the secret so it can refresh the token unattended; never shows the secret or token.
    /// Thread-safe: many cmdlets and runspaces may share one session.
    /// </summary>
    public sealed class WeComSession : IDisposable
    {
        private static int lastId;
        private TimeSpan downloadStallTimeout = TimeSpan.FromMinutes(2);

        private WeComSession(string corpId, SecureString secret, Uri apiBaseUri, WeComProxy? proxy, HttpMessageHandler? handler)
        {
            Id = Interlocked.Increment(ref lastId);
            CorpId = corpId;
            Proxy = proxy?.Address;
            Api = new WeComApiClient(corpId, secret, apiBaseUri, handler, new RetryPolicy(), proxy);
            ConnectedAt = DateTimeOffset.Now;
        }

        /// <summary>A number that tells sessions apart in one process.</summary>
        public int Id { get; }

        public string CorpId { get; }

        public Uri ApiBaseUri => Api.BaseUri;

        public DateTimeOffset ConnectedAt { get; }

        /// <summary>The explicit proxy's scheme://host:port (Connect-WeCom -Proxy), or null when the default proxy (environment variables, system setting) applies.</summary>
        public string? Proxy { get; }

        /// <summary>When the cached token expires (it is refreshed a little before).</summary>
        public DateTimeOffset? TokenExpiresAt => Api.Tokens.ExpiresAt?.ToLocalTime();

        public bool IsDisconnected { get; private set; }

        /// <summary>
        /// How long a block download may go without bringing 512 bytes a second (a timeout's worth: 61,440 bytes by default)
        /// before it is abandoned and resumed (default 2 minutes).
        /// </summary>
        public TimeSpan DownloadStallTimeout
        {
            get => downloadStallTimeout;
            set => downloadStallTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The stall timeout must be positive.");
        }

        /// <summary>The retry policy of every call made with this session.</summary>
        public RetryPolicy RetryPolicy => Api.Retry;

        internal WeComApiClient Api { get; }

        /// <summary>Creates a session and fetches a token at once, so wrong credentials fail here.</summary>
        public static Task<WeComSession> ConnectAsync(string corpId, SecureString secret, Uri? apiBaseUri, CancellationToken cancellationToken, HttpMessageHandler? handler = null) =>
            ConnectAsync(corpId, secret, apiBaseUri, null, cancellationToken, handler);

        /// <summary>
        /// Creates a session whose calls and downloads all go through <paramref name="proxy"/> (null: HttpClient's
        /// default proxy), and fetches a token at once. A <paramref name="handler"/>, when given, is used as is.
        /// </summary>
        public static async Task<WeComSession> ConnectAsync(string corpId, SecureString secret, Uri? apiBaseUri, WeComProxy? proxy, CancellationToken cancellationToken, HttpMessageHandler? handler = null)
        {
            if (string.IsNullOrWhiteSpace(corpId))
            {
                throw new ArgumentException("The CorpID is empty.", nameof(corpId));
            }

            if (secret is null || secret.Length == 0)
            {
                throw new ArgumentException("The secret is empty.", nameof(secret));
            }

            var session = new WeComSession(corpId.Trim(), secret, apiBaseUri ?? WeComEndpoint.DefaultBaseUri, proxy, handler);
            try
            {
                await session.Api.Retry.ExecuteAsync("gettoken", session.Api.Tokens.GetAsync, cancellationToken).ConfigureAwait(false);
                return session;
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }

        internal void ThrowIfDisconnected()
        {
            if (IsDisconnected)
            {
                throw new WeComException(WeComErrors.SessionDisconnected, $"Session {Id} ({CorpId}) was disconnected.");
            }
        }

        public void Dispose()
        {
            if (!IsDisconnected)
            {
                IsDisconnected = true;
                Api.Dispose();
            }
        }

        public override string ToString() => $"WeComSession {Id} ({CorpId} at {WeComEndpoint.Describe(ApiBaseUri)}{(Proxy is null ? string.Empty : " through proxy " + Proxy)})";
    }
}

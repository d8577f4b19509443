using System;
using System.Threading;
using System.Threading.Tasks;

namespace WeComExport.Api
{
    /// <summary>
    /// Caches one access token and refreshes it before it expires. Single-flight: when many calls
    /// find the token stale at once, one fetches and the rest wait for it.
    /// </summary>
    internal sealed class TokenCache : IDisposable
    {
        private readonly Func<CancellationToken, Task<(string Token, TimeSpan Lifetime)>> fetch;
        private readonly Func<DateTimeOffset> clock;
        private readonly SemaphoreSlim gate = new(1, 1);
        private string? token;
        private DateTimeOffset refreshAt;

        public TokenCache(Func<CancellationToken, Task<(string Token, TimeSpan Lifetime)>> fetch, Func<DateTimeOffset>? clock = null)
        {
            this.fetch = fetch;
            this.clock = clock ?? (() => DateTimeOffset.UtcNow);
        }

        public DateTimeOffset? ExpiresAt { get; private set; }

        public async Task<string> GetAsync(CancellationToken cancellationToken)
        {
            string? current = Volatile.Read(ref token);
            if (current is not null && clock() < refreshAt)
            {
                return current;
            }

            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (token is not null && clock() < refreshAt)
                {
                    return token;
                }

                (string fresh, TimeSpan lifetime) = await fetch(cancellationToken).ConfigureAwait(false);
                DateTimeOffset now = clock();
                // Refresh a little early: 5 minutes before a normal 2-hour token ends, a tenth of short lifetimes.
                TimeSpan margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, lifetime.Ticks / 10));
                ExpiresAt = now + lifetime;
                refreshAt = now + lifetime - margin;
                Volatile.Write(ref token, fresh);
                return fresh;
            }
            finally
            {
                gate.Release();
            }
        }

        /// <summary>Forgets <paramref name="rejected"/> if it is still the cached token (another call may have refreshed it already).</summary>
        public void Invalidate(string rejected)
        {
            string? current = Volatile.Read(ref token);
            if (string.Equals(current, rejected, StringComparison.Ordinal))
            {
                // Compare-and-swap on the instance just read: a fresh token stored meanwhile stays.
                Interlocked.CompareExchange(ref token, null, current);
            }
        }

        public void Dispose() => gate.Dispose();
    }
}

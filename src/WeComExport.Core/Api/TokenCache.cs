using System;
using System.Threading;
using System.Threading.Tasks;

namespace WeComExport.Api
{
    /// <summary>
    /// Caches one access token and refreshes it before it expires. Single-flight: when many calls
    /// find the token stale at once, one fetches and the rest wait for it. The token and its times
    /// live in one immutable entry swapped atomically, so no reader sees half of an update.
    /// </summary>
    internal sealed class TokenCache : IDisposable
    {
        private readonly Func<CancellationToken, Task<(string Token, TimeSpan Lifetime)>> fetch;
        private readonly Func<DateTimeOffset> clock;
        private readonly SemaphoreSlim gate = new(1, 1);
        private Entry? entry;
        private volatile bool disposed;

        public TokenCache(Func<CancellationToken, Task<(string Token, TimeSpan Lifetime)>> fetch, Func<DateTimeOffset>? clock = null)
        {
            this.fetch = fetch;
            this.clock = clock ?? (() => DateTimeOffset.UtcNow);
        }

        /// <summary>When the cached token expires; null when there is none.</summary>
        public DateTimeOffset? ExpiresAt => Volatile.Read(ref entry)?.ExpiresAt;

        public async Task<string> GetAsync(CancellationToken cancellationToken)
        {
            Entry? current = Volatile.Read(ref entry);
            if (current is not null && clock() < current.RefreshAt)
            {
                return current.Token;
            }

            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                current = Volatile.Read(ref entry);
                if (current is not null && clock() < current.RefreshAt)
                {
                    return current.Token;
                }

                (string fresh, TimeSpan lifetime) = await fetch(cancellationToken).ConfigureAwait(false);
                if (disposed)
                {
                    // Disconnected while the fetch was under way: the call that asked may use it, the cache keeps nothing.
                    return fresh;
                }

                DateTimeOffset now = clock();
                // Refresh a little early: 5 minutes before a normal 2-hour token ends, a tenth of short lifetimes.
                TimeSpan margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, lifetime.Ticks / 10));
                Volatile.Write(ref entry, new Entry(fresh, now + lifetime - margin, now + lifetime));
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
            Entry? current = Volatile.Read(ref entry);
            if (current is not null && string.Equals(current.Token, rejected, StringComparison.Ordinal))
            {
                // Compare-and-swap on the entry just read: a fresh token stored meanwhile stays.
                Interlocked.CompareExchange(ref entry, null, current);
            }
        }

        /// <summary>Forgets the token, so a disconnected session holds none.</summary>
        public void Dispose()
        {
            disposed = true;
            Volatile.Write(ref entry, null);
            gate.Dispose();
        }

        private sealed class Entry
        {
            public Entry(string token, DateTimeOffset refreshAt, DateTimeOffset expiresAt)
            {
                Token = token;
                RefreshAt = refreshAt;
                ExpiresAt = expiresAt;
            }

            public string Token { get; }

            public DateTimeOffset RefreshAt { get; }

            public DateTimeOffset ExpiresAt { get; }
        }
    }
}

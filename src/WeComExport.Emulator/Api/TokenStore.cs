using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Security.Cryptography;

namespace WeComExport.Emulator.Api
{
    /// <summary>
    /// Access tokens. Like WeCom, gettoken answers the same token while it is valid (with the time it
    /// has left) and a new one once it has expired or been revoked. Expired tokens are remembered for
    /// <see cref="ExpiredRetention"/> so they answer 42001 rather than 40014; after that, and for revoked
    /// tokens at once, they are swept whenever a new token is issued, so a long-running emulator does not
    /// keep every token it ever made.
    /// </summary>
    internal sealed class TokenStore
    {
        private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

        /// <summary>How long an expired token is still recognised (answers 42001) before it is forgotten (40014).</summary>
        public static readonly TimeSpan ExpiredRetention = TimeSpan.FromHours(1);

        private readonly TimeSpan lifetime;
        private readonly TimeSpan retention;
        private readonly ConcurrentDictionary<string, Entry> tokens = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, string> current = new(StringComparer.Ordinal);
        private readonly object gate = new();

        public TokenStore(TimeSpan lifetime)
            : this(lifetime, ExpiredRetention)
        {
        }

        internal TokenStore(TimeSpan lifetime, TimeSpan retention)
        {
            this.lifetime = lifetime;
            this.retention = retention;
        }

        public enum Verdict
        {
            Valid,
            Missing,
            Invalid,
            Expired,
        }

        public (string Token, int ExpiresIn) Issue(EmulatorCorp corp)
        {
            lock (gate)
            {
                DateTimeOffset now = DateTimeOffset.UtcNow;
                if (current.TryGetValue(corp.CorpId, out string? token) && tokens.TryGetValue(token, out Entry? entry) && !entry.Revoked && entry.Expires > now)
                {
                    return (token, (int)Math.Ceiling((entry.Expires - now).TotalSeconds));
                }

                Sweep(now);
                token = RandomNumberGenerator.GetString(Alphabet, 96);
                tokens[token] = new Entry(corp, now + lifetime);
                current[corp.CorpId] = token;
                return (token, (int)Math.Ceiling(lifetime.TotalSeconds));
            }
        }

        public Verdict Check(string? token, out EmulatorCorp? corp)
        {
            corp = null;
            if (string.IsNullOrEmpty(token))
            {
                return Verdict.Missing;
            }

            if (!tokens.TryGetValue(token, out Entry? entry) || entry.Revoked)
            {
                return Verdict.Invalid;
            }

            corp = entry.Corp;
            return entry.Expires <= DateTimeOffset.UtcNow ? Verdict.Expired : Verdict.Valid;
        }

        /// <summary>The corp a token was issued to, valid or not (for fault filters); null if unknown.</summary>
        public EmulatorCorp? CorpOf(string? token) =>
            token is not null && tokens.TryGetValue(token, out Entry? entry) ? entry.Corp : null;

        /// <summary>Revokes every token of <paramref name="corpId"/>, or of every corp when null; returns how many.</summary>
        public int Revoke(string? corpId)
        {
            int n = 0;
            lock (gate)
            {
                foreach (Entry entry in tokens.Values)
                {
                    if (!entry.Revoked && (corpId is null || entry.Corp.CorpId == corpId))
                    {
                        entry.Revoked = true;
                        n++;
                    }
                }
            }

            return n;
        }

        /// <summary>Tokens remembered, valid or not (tests check that the sweep keeps this small).</summary>
        internal int Count => tokens.Count;

        /// <summary>Forgets revoked tokens and tokens expired longer than the retention; called under the lock.</summary>
        private void Sweep(DateTimeOffset now)
        {
            foreach (KeyValuePair<string, Entry> pair in tokens)
            {
                if (pair.Value.Revoked || pair.Value.Expires + retention <= now)
                {
                    tokens.TryRemove(pair.Key, out _);
                }
            }
        }

        private sealed class Entry
        {
            public Entry(EmulatorCorp corp, DateTimeOffset expires)
            {
                Corp = corp;
                Expires = expires;
            }

            public EmulatorCorp Corp { get; }

            public DateTimeOffset Expires { get; }

            public volatile bool Revoked;
        }
    }
}

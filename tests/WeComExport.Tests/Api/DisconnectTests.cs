using System;
using System.Collections;
using System.Collections.Generic;
using System.Net.Http;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Security;
using Xunit;

namespace WeComExport.Tests.Api
{
    /// <summary>Disconnect forgets the credentials: no token string and no readable secret stay reachable from the session.</summary>
    public class DisconnectTests
    {
        private const string Secret = "s3cr3t-SECRET-value-0123456789abcdefghijklmn";
        private const string Token = "tok-disconnect-0123456789";

        [Fact]
        public async Task Dispose_forgets_the_token_and_destroys_the_secret()
        {
            var handler = new ScriptedHandler((_, _) => ScriptedHandler.Token(Token));
            WeComSession session = await WeComSession.ConnectAsync("wwcorp", SecureText.From(Secret), new Uri("https://qyapi.example.test"), CancellationToken.None, handler);
            Assert.Contains(Token, ReachableStrings(session));
            Assert.Contains(ReachableSecureStrings(session), s => SecureText.Reveal(s) == Secret);

            session.Dispose();

            Assert.True(session.IsDisconnected);
            Assert.Null(session.TokenExpiresAt);
            Assert.DoesNotContain(Token, ReachableStrings(session));
            // A disposed SecureString's memory is zeroed and it can no longer be read.
            Assert.All(ReachableSecureStrings(session), s => Assert.Throws<ObjectDisposedException>(() => SecureText.Reveal(s)));
        }

        [Fact]
        public async Task A_token_fetched_while_disconnecting_is_not_kept()
        {
            var answer = new TaskCompletionSource<(string, TimeSpan)>(TaskCreationOptions.RunContinuationsAsynchronously);
            var cache = new TokenCache(_ => answer.Task);
            Task<string> fetching = cache.GetAsync(CancellationToken.None);
            cache.Dispose();
            answer.SetResult((Token, TimeSpan.FromHours(2)));
            try
            {
                await fetching;
            }
            catch (ObjectDisposedException)
            {
                // Also acceptable: the disposed cache's gate is gone by the time the fetch returns.
            }

            // (The test's own fetch delegate still holds the token; the cache's entry must not.)
            Assert.Null(cache.ExpiresAt);
        }

        private static List<string> ReachableStrings(object root) => Reachable<string>(root);

        private static List<SecureString> ReachableSecureStrings(object root) => Reachable<SecureString>(root);

        private static List<T> Reachable<T>(object root) => ObjectGraph.Reachable<T>(root, stopAtHandlers: true);
    }
}

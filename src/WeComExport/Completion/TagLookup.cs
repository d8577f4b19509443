using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation.Language;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Tags;

namespace WeComExport.Commands.Completion
{
    /// <summary>
    /// tag/list for the completers: at most <see cref="Timeout"/> per lookup (a slow or unreachable WeCom
    /// completes nothing rather than freezing the prompt), and each session's answer kept for
    /// <see cref="Lifetime"/> so that pressing Tab again sends nothing.
    /// </summary>
    internal static class TagLookup
    {
        public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
        public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

        private static readonly ConditionalWeakTable<WeComSession, Entry> BySession = new();

        /// <summary>The tags of the session the command line will use (<see cref="CompletionSession"/>); none without one.</summary>
        public static IReadOnlyList<WeComTag> ForCommandLine(CommandAst? commandAst, IDictionary? fakeBoundParameters)
        {
            WeComSession? session = CompletionSession.Resolve(commandAst, fakeBoundParameters);
            return session is null ? Array.Empty<WeComTag>() : Get(session);
        }

        /// <summary>The session's tags, or none when they cannot be had within the timeout; never throws.</summary>
        public static IReadOnlyList<WeComTag> Get(WeComSession session)
        {
            Entry entry = BySession.GetOrCreateValue(session);
            Answer? cached = entry.Last;
            if (cached is not null && DateTime.UtcNow - cached.At < Lifetime)
            {
                return cached.Tags;
            }

            var cancel = new CancellationTokenSource(Timeout);
            Task<IReadOnlyList<WeComTag>> task = Task.Run(() => TagOperations.ListAsync(session, cancel.Token), cancel.Token);

            // Observe the outcome even when the lookup is abandoned, and free the timer only when it has ended.
            _ = task.ContinueWith(
                t =>
                {
                    _ = t.Exception;
                    cancel.Dispose();
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);

            if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(Timeout) || task.Status != TaskStatus.RanToCompletion)
            {
                return Array.Empty<WeComTag>();
            }

            entry.Last = new Answer(task.Result, DateTime.UtcNow);
            return task.Result;
        }

        private sealed class Answer
        {
            public Answer(IReadOnlyList<WeComTag> tags, DateTime at)
            {
                Tags = tags;
                At = at;
            }

            public IReadOnlyList<WeComTag> Tags { get; }

            public DateTime At { get; }
        }

        private sealed class Entry
        {
            private volatile Answer? last;

            public Answer? Last
            {
                get => last;
                set => last = value;
            }
        }
    }
}

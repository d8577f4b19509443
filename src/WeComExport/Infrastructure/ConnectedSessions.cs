using System;
using System.Collections.Generic;
using WeComExport.Api;

namespace WeComExport.Commands
{
    /// <summary>
    /// The sessions Connect-WeCom made in this process and not yet disconnected, for Get-WeComSession -Id
    /// and the -Session completer. Held weakly: a session nobody references any more is not kept alive here.
    /// </summary>
    internal static class ConnectedSessions
    {
        private static readonly object Gate = new();
        private static readonly List<WeakReference<WeComSession>> Sessions = new();

        public static void Add(WeComSession session)
        {
            lock (Gate)
            {
                Prune();
                Sessions.Add(new WeakReference<WeComSession>(session));
            }
        }

        /// <summary>The connected sessions, oldest first.</summary>
        public static IReadOnlyList<WeComSession> List()
        {
            lock (Gate)
            {
                Prune();
                var list = new List<WeComSession>(Sessions.Count);
                foreach (WeakReference<WeComSession> reference in Sessions)
                {
                    if (reference.TryGetTarget(out WeComSession? session))
                    {
                        list.Add(session);
                    }
                }

                return list;
            }
        }

        public static WeComSession? Find(int id)
        {
            foreach (WeComSession session in List())
            {
                if (session.Id == id)
                {
                    return session;
                }
            }

            return null;
        }

        private static void Prune() =>
            Sessions.RemoveAll(reference => !reference.TryGetTarget(out WeComSession? session) || session.IsDisconnected);
    }
}

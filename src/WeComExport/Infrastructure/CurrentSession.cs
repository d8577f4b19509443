using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using WeComExport.Api;

namespace WeComExport.Commands
{
    /// <summary>
    /// The session Connect-WeCom made current, one per runspace: parallel runspaces
    /// (ForEach-Object -Parallel, runbook jobs) each have their own and never see another's.
    /// </summary>
    internal static class CurrentSession
    {
        private static readonly ConditionalWeakTable<Runspace, Holder> ByRunspace = new();

        public static WeComSession? Get()
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            return runspace is not null && ByRunspace.TryGetValue(runspace, out Holder? holder) ? holder.Session : null;
        }

        public static void Set(WeComSession? session)
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            if (runspace is not null)
            {
                ByRunspace.GetOrCreateValue(runspace).Session = session;
            }
        }

        private sealed class Holder
        {
            public WeComSession? Session { get; set; }
        }
    }
}

using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using WeComExport.Export;

namespace WeComExport.Commands
{
    /// <summary>
    /// The last <see cref="Capacity"/> jobs the Start-* cmdlets started in each runspace, for the -JobId
    /// completer. Bounded, so a long-running runbook that starts jobs all day keeps a few dozen objects.
    /// </summary>
    internal static class RecentJobs
    {
        public const int Capacity = 50;

        private static readonly ConditionalWeakTable<Runspace, LinkedList<WeComExportJob>> ByRunspace = new();

        public static void Add(WeComExportJob job)
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            if (runspace is null)
            {
                return;
            }

            LinkedList<WeComExportJob> jobs = ByRunspace.GetOrCreateValue(runspace);
            lock (jobs)
            {
                jobs.AddFirst(job);
                while (jobs.Count > Capacity)
                {
                    jobs.RemoveLast();
                }
            }
        }

        /// <summary>This runspace's recent jobs, newest first.</summary>
        public static IReadOnlyList<WeComExportJob> List()
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            if (runspace is null || !ByRunspace.TryGetValue(runspace, out LinkedList<WeComExportJob>? jobs))
            {
                return new List<WeComExportJob>();
            }

            lock (jobs)
            {
                return new List<WeComExportJob>(jobs);
            }
        }
    }
}

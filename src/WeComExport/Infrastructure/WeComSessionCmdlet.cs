using System;
using System.Management.Automation;
using WeComExport.Api;
using WeComExport.Commands.Completion;
using WeComExport.Export;

namespace WeComExport.Commands
{
    /// <summary>Base of the cmdlets that talk to WeCom: -Session, defaulting to the job's session, then the current one.</summary>
    public abstract class WeComSessionCmdlet : WeComCmdlet
    {
        /// <summary>The session to use; defaults to the one the job was started with, then the current session (Connect-WeCom).</summary>
        [Parameter]
        [ValidateNotNull]
        [LiveSessionOnly]
        [ArgumentCompleter(typeof(SessionCompleter))]
        public WeComSession? Session { get; set; }

        /// <summary>The session of a command that starts work (-Session, else the current one), or a terminating error record that says what to do.</summary>
        protected WeComSession ResolveSession() => ResolveSession(null)!;

        /// <summary>
        /// The session for one job of the input. A job outlives the session that started it: when that session was
        /// disconnected, the current session is used if it is for the same corp (a job id belongs to its corp, not to
        /// one token). A job of another corp than the session is a non-terminating error for that job alone (null), so
        /// the other jobs piped in are still handled.
        /// </summary>
        protected WeComSession? ResolveSessionFor(WeComExportJob job) => ResolveSession(job);

        private WeComSession? ResolveSession(WeComExportJob? job)
        {
            WeComSession? session = Session ?? job?.Session ?? CurrentSession.Get();
            if (Session is null && job?.Session is { IsDisconnected: true } started)
            {
                session = SessionInsteadOf(started, job);
                if (session is null)
                {
                    return null;
                }
            }

            if (session is null)
            {
                ThrowTerminatingError(ErrorRecords.Create(new InvalidOperationException("There is no WeCom session."), WeComErrors.NotConnected, null));
            }

            if (session!.IsDisconnected)
            {
                ThrowTerminatingError(ErrorRecords.Create(new InvalidOperationException($"{session} was disconnected."), WeComErrors.SessionDisconnected, session));
            }

            // A job id belongs to one corp's app: asking another corp for it could only end in "jobid not found".
            if (job?.CorpId is { } jobCorp && !string.Equals(jobCorp, session.CorpId, StringComparison.Ordinal))
            {
                return Refuse(ErrorRecords.Create(
                    new InvalidOperationException($"Job {job.JobId} belongs to corp {jobCorp}, but the session is for corp {session.CorpId}."),
                    WeComErrors.SessionCorpMismatch,
                    job));
            }

            return session;
        }

        /// <summary>Writes the error for this one job of the input and gives no session.</summary>
        private WeComSession? Refuse(ErrorRecord error)
        {
            WriteError(error);
            return null;
        }

        private WeComSession? SessionInsteadOf(WeComSession started, WeComExportJob job)
        {
            WeComSession? current = CurrentSession.Get();
            if (current is null || current.IsDisconnected)
            {
                ThrowTerminatingError(ErrorRecords.Create(
                    new InvalidOperationException($"Job {job.JobId} was started by {started}, which was disconnected, and there is no current session."),
                    WeComErrors.SessionDisconnected,
                    job));
            }

            if (!string.Equals(current!.CorpId, started.CorpId, StringComparison.Ordinal))
            {
                return Refuse(ErrorRecords.Create(
                    new InvalidOperationException($"Job {job.JobId} belongs to corp {started.CorpId}, but the current session is for corp {current.CorpId}."),
                    WeComErrors.SessionCorpMismatch,
                    job));
            }

            WriteVerbose($"Job {job.JobId} was started by {started}, which was disconnected; using the current {current}.");
            return current;
        }
    }
}

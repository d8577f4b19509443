using System;
using System.Management.Automation;
using WeComExport.Api;
using WeComExport.Export;

namespace WeComExport.Commands
{
    /// <summary>Base of the cmdlets that talk to WeCom: -Session, defaulting to the job's session, then the current one.</summary>
    public abstract class WeComSessionCmdlet : WeComCmdlet
    {
        /// <summary>The session to use; defaults to the one the job was started with, then the current session (Connect-WeCom).</summary>
        [Parameter]
        [ValidateNotNull]
        public WeComSession? Session { get; set; }

        /// <summary>Resolves the session, or throws an error record that says to connect first.</summary>
        protected WeComSession ResolveSession(WeComExportJob? job = null)
        {
            WeComSession? session = Session ?? job?.Session ?? CurrentSession.Get();
            if (session is null)
            {
                ThrowTerminatingError(ErrorRecords.Create(
                    new InvalidOperationException("There is no WeCom session."),
                    "WeComNotConnected",
                    ErrorCategory.ConnectionError,
                    null,
                    "Run Connect-WeCom first, or pass -Session."));
            }

            if (session!.IsDisconnected)
            {
                ThrowTerminatingError(ErrorRecords.Create(
                    new InvalidOperationException($"{session} was disconnected."),
                    "WeComSessionDisconnected",
                    ErrorCategory.ConnectionError,
                    session,
                    "Run Connect-WeCom again, or pass a connected -Session."));
            }

            return session;
        }
    }
}

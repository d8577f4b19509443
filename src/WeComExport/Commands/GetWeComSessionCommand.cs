using System.Globalization;
using System.Management.Automation;
using WeComExport.Api;
using WeComExport.Commands.Completion;

namespace WeComExport.Commands
{
    /// <summary>
    /// Get-WeComSession: the current session of this runspace (nothing when not connected), or with -Id the
    /// connected sessions of this process with those ids (what the -Session completer writes).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WeComSession")]
    [OutputType(typeof(WeComSession))]
    public sealed class GetWeComSessionCommand : PSCmdlet
    {
        /// <summary>Ids of connected sessions (Connect-WeCom in this process, not disconnected) to return instead of the current one.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SessionIdCompleter))]
#pragma warning disable CA1819 // PowerShell binds arrays for repeated values.
        public int[]? Id { get; set; }
#pragma warning restore CA1819

        protected override void ProcessRecord()
        {
            if (Id is null)
            {
                return;
            }

            foreach (int id in Id)
            {
                WeComSession? session = ConnectedSessions.Find(id);
                if (session is null)
                {
                    WriteError(ErrorRecords.Create(
                        new ItemNotFoundException(string.Format(CultureInfo.InvariantCulture, "There is no connected WeCom session with id {0}.", id)),
                        WeComErrors.SessionNotFound,
                        id));
                }
                else
                {
                    WriteObject(session);
                }
            }
        }

        protected override void EndProcessing()
        {
            WeComSession? session = Id is null ? CurrentSession.Get() : null;
            if (session is not null)
            {
                WriteObject(session);
            }
        }
    }
}

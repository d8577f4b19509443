using System.Management.Automation;
using WeComExport.Api;
using WeComExport.Commands.Completion;

namespace WeComExport.Commands
{
    /// <summary>Disconnect-WeCom: forgets the secret and token of a session (the current one by default).</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "WeCom")]
    [OutputType(typeof(void))]
    public sealed class DisconnectWeComCommand : PSCmdlet
    {
        /// <summary>The session to close; defaults to the current one.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        [LiveSessionOnly]
        [ArgumentCompleter(typeof(SessionCompleter))]
        public WeComSession? Session { get; set; }

        protected override void ProcessRecord()
        {
            WeComSession? current = CurrentSession.Get();
            WeComSession? session = Session ?? current;
            if (session is null)
            {
                WriteVerbose("There is no current WeCom session to disconnect.");
                return;
            }

            session.Dispose();
            if (ReferenceEquals(session, current))
            {
                CurrentSession.Set(null);
            }

            WriteVerbose($"Disconnected {session}.");
        }
    }
}

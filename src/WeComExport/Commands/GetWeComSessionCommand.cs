using System.Management.Automation;
using WeComExport.Api;

namespace WeComExport.Commands
{
    /// <summary>Get-WeComSession: the current session of this runspace, or nothing when not connected.</summary>
    [Cmdlet(VerbsCommon.Get, "WeComSession")]
    [OutputType(typeof(WeComSession))]
    public sealed class GetWeComSessionCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            WeComSession? session = CurrentSession.Get();
            if (session is not null)
            {
                WriteObject(session);
            }
        }
    }
}

using System.Management.Automation;
using WeComExport.Export;

namespace WeComExport.Commands
{
    /// <summary>Start-WeComUserExport: exports members (simple_user), or member details with -Detailed (user).</summary>
    [Cmdlet(VerbsLifecycle.Start, "WeComUserExport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(WeComExportJob))]
    public sealed class StartWeComUserExportCommand : StartExportCommandBase
    {
        /// <summary>Export every member-detail field (export/user) instead of userid, name, department and open_userid.</summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

        protected override void EndProcessing() => StartJob(Detailed ? ExportKind.User : ExportKind.SimpleUser, null);
    }
}

using System.Management.Automation;
using WeComExport.Export;

namespace WeComExport.Commands
{
    /// <summary>Start-WeComDepartmentExport: exports the departments the app can see.</summary>
    [Cmdlet(VerbsLifecycle.Start, "WeComDepartmentExport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(WeComExportJob))]
    public sealed class StartWeComDepartmentExportCommand : StartExportCommandBase
    {
        protected override void EndProcessing() => StartJob(ExportKind.Department, null);
    }
}

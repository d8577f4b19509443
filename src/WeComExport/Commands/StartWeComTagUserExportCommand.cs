using System.Management.Automation;
using WeComExport.Commands.Completion;
using WeComExport.Export;

namespace WeComExport.Commands
{
    /// <summary>Start-WeComTagUserExport: one export job per tag id (from the parameter or the pipeline).</summary>
    [Cmdlet(VerbsLifecycle.Start, "WeComTagUserExport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(WeComExportJob))]
    public sealed class StartWeComTagUserExportCommand : StartExportCommandBase
    {
        /// <summary>The tag ids whose members and departments to export.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [Alias("TagIds")]
        [ArgumentCompleter(typeof(TagIdCompleter))]
#pragma warning disable CA1819 // PowerShell binds arrays, not collections, for repeated values.
        public long[] TagId { get; set; } = System.Array.Empty<long>();
#pragma warning restore CA1819

        protected override void ProcessRecord()
        {
            foreach (long tagId in TagId)
            {
                StartJob(ExportKind.TagUser, tagId);
            }
        }
    }
}

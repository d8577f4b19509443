using System;
using System.Management.Automation;
using WeComExport.Api;
using WeComExport.Export;

namespace WeComExport.Commands
{
    /// <summary>Get-WeComExportResult: a job's state from export/get_result (status, and its blocks when done).</summary>
    [Cmdlet(VerbsCommon.Get, "WeComExportResult", DefaultParameterSetName = JobSet)]
    [OutputType(typeof(WeComExportResult))]
    public sealed class GetWeComExportResultCommand : JobCommandBase
    {
        protected override void ProcessRecord()
        {
            WeComExportJob job = InputJob();
            WeComSession session = ResolveSession(job);
            try
            {
                WeComExportResult result = RunEngine(ct => ExportOperations.GetResultAsync(session, job.JobId, ct));
                job.LastResult = result;
                WriteObject(result);
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                WriteEngineError(ex, job);
            }
        }
    }
}

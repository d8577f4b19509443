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
            if (ResolveSessionFor(job) is not { } session)
            {
                return;
            }

            WeComExportResult result;
            try
            {
                result = RunEngine(ct => ExportOperations.GetResultAsync(session, job.JobId, ct));
            }
            catch (EngineCallException ex)
            {
                WriteEngineError(ex, job);
                return;
            }

            job.LastResult = result;
            WriteObject(result);
        }
    }
}

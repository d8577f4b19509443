using System.Management.Automation;
using System.Text.RegularExpressions;
using WeComExport.Commands.Completion;
using WeComExport.Export;

namespace WeComExport.Commands
{
    /// <summary>
    /// Input shared by the cmdlets that act on a started job: a job object from the pipeline, or a
    /// job id (by value, or by property name from any object with a JobId, such as a notification).
    /// </summary>
    public abstract class JobCommandBase : WeComSessionCmdlet
    {
        protected const string JobSet = "Job";
        protected const string JobIdSet = "JobId";

        /// <summary>A job from Start-WeCom*Export or Wait-WeComExport.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = JobSet)]
        [ValidateNotNull]
        public WeComExportJob? Job { get; set; }

        /// <summary>A job id, e.g. from a completion notification.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = JobIdSet)]
        [ValidateNotNullOrEmpty]
        [ValidateLength(1, ExportLimits.MaxJobIdLength)]
        [ValidatePattern(ExportLimits.JobIdPattern, Options = RegexOptions.None)]
        [ArgumentCompleter(typeof(JobIdCompleter))]
        public string JobId { get; set; } = string.Empty;

        /// <summary>What the job exports, when only its id is known (a notification's ExportKind binds here); read from the data when omitted.</summary>
        [Parameter(ParameterSetName = JobIdSet, ValueFromPipelineByPropertyName = true)]
        public ExportKind? ExportKind { get; set; }

        /// <summary>The tag id of a tag export known only by id, copied onto each tag member.</summary>
        [Parameter(ParameterSetName = JobIdSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(TagIdCompleter))]
        public long? TagId { get; set; }

        /// <summary>
        /// The corp a job known only by id belongs to (a notification's CorpId binds here): a job of another corp than the
        /// session is refused (WeComSessionCorpMismatch) rather than asked of it.
        /// </summary>
        [Parameter(ParameterSetName = JobIdSet, ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        public string? CorpId { get; set; }

        /// <summary>The job this input names: the given object, or a new one for a bare id.</summary>
        protected virtual WeComExportJob InputJob() =>
            ParameterSetName == JobSet ? Job! : new WeComExportJob(JobId, ExportKind, string.IsNullOrWhiteSpace(CorpId) ? null : CorpId, TagId);
    }
}

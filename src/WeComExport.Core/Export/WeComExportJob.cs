using System;
using WeComExport.Api;
using WeComExport.Crypto;

namespace WeComExport.Export
{
    /// <summary>
    /// A started export. Carries the key its blocks are encrypted with (hidden: internal, never
    /// printed) and the session that started it, so Wait and Receive need nothing else.
    /// </summary>
    public sealed class WeComExportJob
    {
        public WeComExportJob(string jobId, ExportKind? kind, string? corpId, long? tagId = null, int? blockSize = null, DateTimeOffset? submittedAt = null)
        {
            JobId = jobId;
            Kind = kind;
            CorpId = corpId;
            TagId = tagId;
            BlockSize = blockSize;
            SubmittedAt = submittedAt;
        }

        public string JobId { get; }

        /// <summary>What the job exports; null when only a job id was given (it is then read from the data).</summary>
        public ExportKind? Kind { get; }

        public long? TagId { get; }

        public DateTimeOffset? SubmittedAt { get; }

        public string? CorpId { get; }

        public int? BlockSize { get; }

        /// <summary>The last get_result seen for this job (set by Get/Wait).</summary>
        public WeComExportResult? LastResult { get; internal set; }

        /// <summary>The job's status as the last get_result gave it (<see cref="LastResult"/>); null until one was seen.</summary>
        public ExportStatus? Status => LastResult?.Status;

        internal EncodingAesKey? Key { get; set; }

        internal WeComSession? Session { get; set; }

        public override string ToString() => JobId;
    }
}

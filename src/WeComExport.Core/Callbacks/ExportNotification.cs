using System;
using System.Collections.Generic;
using WeComExport.Export;

namespace WeComExport.Callbacks
{
    /// <summary>
    /// A parsed WeCom callback event, usually batch_job_result. It holds no secret, and its
    /// <see cref="JobId"/> binds by property name to the cmdlets that fetch an export's result.
    /// </summary>
    public sealed class ExportNotification
    {
        /// <summary>ToUserName: the CorpID the event was sent for (null in third-party suite events).</summary>
        public string? CorpId { get; init; }

        /// <summary>FromUserName: "sys" for export events, the member's UserID for import events.</summary>
        public string? FromUserName { get; init; }

        /// <summary>CreateTime, from Unix seconds.</summary>
        public DateTimeOffset? CreateTime { get; init; }

        /// <summary>MsgType as sent ("event").</summary>
        public string? MsgType { get; init; }

        /// <summary>Event as sent ("batch_job_result"); for suite events, the InfoType.</summary>
        public string? Event { get; init; }

        /// <summary>SuiteId of a third-party suite event.</summary>
        public string? SuiteId { get; init; }

        /// <summary>InfoType of a third-party suite event ("batch_job_result").</summary>
        public string? InfoType { get; init; }

        /// <summary>TimeStamp of a third-party suite event, from Unix seconds.</summary>
        public DateTimeOffset? TimeStamp { get; init; }

        /// <summary>BatchJob/JobId: the job to fetch the result of.</summary>
        public string? JobId { get; init; }

        /// <summary>BatchJob/JobType as sent (export_user, export_tag, sync_user, ...).</summary>
        public string? JobType { get; init; }

        /// <summary>The JobType normalised; export_tag and export_taguser both give <see cref="BatchJobKind.TagUser"/>.</summary>
        public BatchJobKind Kind { get; init; }

        /// <summary>BatchJob/ErrCode: 0 when the job succeeded.</summary>
        public int? ErrCode { get; init; }

        /// <summary>BatchJob/ErrMsg as sent.</summary>
        public string? ErrMsg { get; init; }

        /// <summary>The receiveid the encrypted envelope was addressed to (CorpID or SuiteID); null for plain XML.</summary>
        public string? ReceiveId { get; init; }

        /// <summary>Every top-level text element as sent (for events this type does not model), by element name.</summary>
        public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

        /// <summary>True when the event is batch_job_result (by Event or, for suites, InfoType).</summary>
        public bool IsBatchJobResult => BatchJobKinds.IsBatchJobResult(Event);

        /// <summary>The export this job produced, or null for import and unknown jobs.</summary>
        public ExportKind? ExportKind => BatchJobKinds.ToExportKind(Kind);

        /// <summary>True when the job is one of the four exports.</summary>
        public bool IsExport => ExportKind.HasValue;

        /// <summary>True when the job is an import (sync_user, replace_user, invite_user, replace_party).</summary>
        public bool IsImport => BatchJobKinds.IsImport(Kind);

        /// <summary>True when the job reported ErrCode 0.</summary>
        public bool Succeeded => ErrCode == 0;

        public override string ToString() =>
            IsBatchJobResult ? $"{Event} {JobType} {JobId} (ErrCode {ErrCode})" : $"{MsgType} {Event}".Trim();
    }
}

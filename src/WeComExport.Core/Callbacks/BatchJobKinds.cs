using System;
using WeComExport.Export;

namespace WeComExport.Callbacks
{
    /// <summary>The one mapping from WeCom's JobType strings to <see cref="BatchJobKind"/> and <see cref="ExportKind"/>.</summary>
    public static class BatchJobKinds
    {
        /// <summary>Normalises a JobType as sent (case-insensitive; unknown or empty gives <see cref="BatchJobKind.Unknown"/>).</summary>
        public static BatchJobKind FromJobType(string? jobType)
        {
            switch ((jobType ?? string.Empty).Trim().ToUpperInvariant())
            {
                case "EXPORT_SIMPLE_USER": return BatchJobKind.SimpleUser;
                case "EXPORT_USER": return BatchJobKind.User;
                case "EXPORT_DEPARTMENT": return BatchJobKind.Department;
                case "EXPORT_TAGUSER":
                case "EXPORT_TAG": return BatchJobKind.TagUser;
                case "SYNC_USER": return BatchJobKind.SyncUser;
                case "REPLACE_USER": return BatchJobKind.ReplaceUser;
                case "INVITE_USER": return BatchJobKind.InviteUser;
                case "REPLACE_PARTY": return BatchJobKind.ReplaceParty;
                default: return BatchJobKind.Unknown;
            }
        }

        /// <summary>The export this kind of job produced, or null for import and unknown jobs.</summary>
        public static ExportKind? ToExportKind(BatchJobKind kind) => kind switch
        {
            BatchJobKind.SimpleUser => Export.ExportKind.SimpleUser,
            BatchJobKind.User => Export.ExportKind.User,
            BatchJobKind.Department => Export.ExportKind.Department,
            BatchJobKind.TagUser => Export.ExportKind.TagUser,
            _ => null,
        };

        /// <summary>True for the import jobs (sync_user, replace_user, invite_user, replace_party).</summary>
        public static bool IsImport(BatchJobKind kind) =>
            kind is BatchJobKind.SyncUser or BatchJobKind.ReplaceUser or BatchJobKind.InviteUser or BatchJobKind.ReplaceParty;

        internal static bool IsBatchJobResult(string? eventName) =>
            string.Equals(eventName, "batch_job_result", StringComparison.OrdinalIgnoreCase);
    }
}

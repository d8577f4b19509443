namespace WeComExport.Callbacks
{
    /// <summary>What a batch_job_result event reports on, normalised from its JobType.</summary>
    public enum BatchJobKind
    {
        /// <summary>A JobType this module does not know (kept as sent in <see cref="ExportNotification.JobType"/>).</summary>
        Unknown = 0,

        /// <summary>export_simple_user.</summary>
        SimpleUser,

        /// <summary>export_user.</summary>
        User,

        /// <summary>export_department.</summary>
        Department,

        /// <summary>export_taguser, and export_tag (both spellings occur in WeCom's documentation).</summary>
        TagUser,

        /// <summary>sync_user (import: incremental member update).</summary>
        SyncUser,

        /// <summary>replace_user (import: full member overwrite).</summary>
        ReplaceUser,

        /// <summary>invite_user (import: invite members).</summary>
        InviteUser,

        /// <summary>replace_party (import: full department overwrite).</summary>
        ReplaceParty,
    }
}

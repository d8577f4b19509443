namespace WeComExport.Export
{
    /// <summary>The four asynchronous exports; each has its own start path and block shape.</summary>
    public enum ExportKind
    {
        /// <summary>/cgi-bin/export/simple_user: userid, name, department, open_userid.</summary>
        SimpleUser,

        /// <summary>/cgi-bin/export/user: every member-detail field.</summary>
        User,

        /// <summary>/cgi-bin/export/department.</summary>
        Department,

        /// <summary>/cgi-bin/export/taguser: the members and departments of one tag.</summary>
        TagUser,
    }
}

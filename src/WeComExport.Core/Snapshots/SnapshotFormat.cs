using System;

namespace WeComExport.Snapshots
{
    /// <summary>What a snapshot folder holds besides its manifest.</summary>
    [Flags]
    public enum SnapshotFormat
    {
        /// <summary>Nothing; not a valid choice on its own.</summary>
        None = 0,

        /// <summary>The decrypted blocks as WeCom sent them (<c>{export}.blockNNNN.json</c>); what reading a snapshot back needs.</summary>
        Json = 1,

        /// <summary>Excel-ready CSV files: members.csv, departments.csv, tag-members.csv.</summary>
        Csv = 2,
    }
}

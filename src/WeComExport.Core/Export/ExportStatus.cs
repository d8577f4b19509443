namespace WeComExport.Export
{
    /// <summary>get_result's status, as WeCom numbers it.</summary>
    public enum ExportStatus
    {
        NotStarted = 0,
        Processing = 1,
        Done = 2,
        Failed = 3,
    }
}

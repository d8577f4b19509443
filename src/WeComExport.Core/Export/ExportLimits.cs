namespace WeComExport.Export
{
    /// <summary>The export API's documented limits, in one place for the engine and the cmdlets' validation.</summary>
    public static class ExportLimits
    {
        public const int MinBlockSize = 10_000;
        public const int MaxBlockSize = 1_000_000;
        public const int MaxJobIdLength = 64;
    }
}

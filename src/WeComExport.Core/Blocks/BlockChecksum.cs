namespace WeComExport.Blocks
{
    /// <summary>What was actually received for a block: its size in bytes and its lower-case hex MD5.</summary>
    public sealed record BlockChecksum(long Size, string Md5Hex);
}

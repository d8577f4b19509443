namespace WeComExport.Export
{
    /// <summary>The export API's documented limits, in one place for the engine and the cmdlets' validation.</summary>
    public static class ExportLimits
    {
        public const int MinBlockSize = 10_000;
        public const int MaxBlockSize = 1_000_000;
        public const int MaxJobIdLength = 64;

        /// <summary>
        /// The characters of a job id, whether WeCom gave it or a user typed it: letters, digits and
        /// <c>_-=.</c> (WeCom's look like <c>jobid_S0MrnndvRG5f…</c>), 1 to <see cref="MaxJobIdLength"/>
        /// of them. Ends in <c>\z</c>, not <c>$</c>, which would let a trailing newline through. Match it
        /// case-sensitively: under IgnoreCase .NET lets the Kelvin sign (U+212A) pass for a 'k'.
        /// </summary>
        public const string JobIdPattern = @"^[A-Za-z0-9_\-=.]+\z";

        /// <summary>
        /// The largest block size (ciphertext bytes) believed from get_result: 1 TiB, far above a real
        /// block (10^6 member details are hundreds of MB). With the API answer's own size limit it also
        /// keeps the sum of all blocks far from overflowing.
        /// </summary>
        public const long MaxBlockBytes = 1L << 40;
    }
}

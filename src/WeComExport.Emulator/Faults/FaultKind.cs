using System;
using System.Collections.Generic;

namespace WeComExport.Emulator.Faults
{
    /// <summary>The switchable faults; each has a wire name used by --fault and /_emulator/faults.</summary>
    internal enum FaultKind
    {
        /// <summary>errcode -1 on a /cgi-bin call.</summary>
        SystemBusy,

        /// <summary>errcode 45009 on a /cgi-bin call.</summary>
        FrequencyLimit,

        /// <summary>errcode 45033 on a /cgi-bin call.</summary>
        ConcurrencyLimit,

        /// <summary>An HTTP 5xx (500 unless "status" says otherwise) on a /cgi-bin call or a download.</summary>
        Http500,

        /// <summary>The answer waits "delayMs" (default 2000) first; /cgi-bin or download.</summary>
        Slow,

        /// <summary>A download's connection is aborted after about half of its body.</summary>
        DropConnection,

        /// <summary>A download's body is cut short, with a Content-Length that matches the short body.</summary>
        Truncate,

        /// <summary>One byte of a download is flipped, so its MD5 no longer matches get_result's.</summary>
        CorruptByte,

        /// <summary>A download answers as if its URL had expired (HTTP 403).</summary>
        ExpireUrl,

        /// <summary>A download answers HTTP 200 with a short JSON error in place of the block: a link refused in the body.</summary>
        ErrorPage,

        /// <summary>A new export job ends in status 3.</summary>
        FailJob,

        /// <summary>A call made with a valid token finds every token of its corp revoked: errcode 40014.</summary>
        RevokeToken,

        /// <summary>A new export job holds no record: its one block has an empty list.</summary>
        EmptyJob,

        /// <summary>get_result of a done job lists no block (status 2, an empty data_list).</summary>
        EmptyResult,

        /// <summary>get_result of a done job lists its first block once more at the end, under a second link to the same file.</summary>
        RepeatBlock,

        /// <summary>A call made with a valid token answers errcode 60020 (caller IP not in the app's trusted IPs); gettoken is never hit.</summary>
        IpNotAllowed,
    }

    internal static class FaultKinds
    {
        private static readonly Dictionary<string, FaultKind> ByName = new(StringComparer.OrdinalIgnoreCase)
        {
            ["system-busy"] = FaultKind.SystemBusy,
            ["frequency-limit"] = FaultKind.FrequencyLimit,
            ["concurrency-limit"] = FaultKind.ConcurrencyLimit,
            ["http-500"] = FaultKind.Http500,
            ["slow"] = FaultKind.Slow,
            ["drop-connection"] = FaultKind.DropConnection,
            ["truncate"] = FaultKind.Truncate,
            ["corrupt-byte"] = FaultKind.CorruptByte,
            ["expire-url"] = FaultKind.ExpireUrl,
            ["error-page"] = FaultKind.ErrorPage,
            ["fail-job"] = FaultKind.FailJob,
            ["revoke-token"] = FaultKind.RevokeToken,
            ["ip-not-allowed"] = FaultKind.IpNotAllowed,
            ["empty-job"] = FaultKind.EmptyJob,
            ["empty-result"] = FaultKind.EmptyResult,
            ["repeat-block"] = FaultKind.RepeatBlock,
        };

        public static IEnumerable<string> Names => ByName.Keys;

        public static bool TryParse(string? name, out FaultKind kind) => ByName.TryGetValue(name ?? string.Empty, out kind);

        public static string NameOf(FaultKind kind)
        {
            foreach (KeyValuePair<string, FaultKind> pair in ByName)
            {
                if (pair.Value == kind)
                {
                    return pair.Key;
                }
            }

            throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }
}

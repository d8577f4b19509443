using System.Collections.Generic;
using System.Linq;

namespace WeComExport.Api
{
    /// <summary>How the client reacts to an errcode.</summary>
    public enum WeComRecovery
    {
        /// <summary>Fail at once.</summary>
        None,

        /// <summary>Transient: retry with backoff, a few times.</summary>
        RetryWithBackoff,

        /// <summary>The token is invalid or expired: fetch a new one and retry the call once.</summary>
        RefreshToken,
    }

    /// <summary>What one errcode means, what the client does about it, and what the user should do.</summary>
    public sealed class WeComErrorInfo
    {
        internal WeComErrorInfo(int code, WeComErrorKind kind, WeComRecovery recovery, string hint)
        {
            Code = code;
            Kind = kind;
            Recovery = recovery;
            Hint = hint;
        }

        public int Code { get; }

        public WeComErrorKind Kind { get; }

        public WeComRecovery Recovery { get; }

        public string Hint { get; }
    }

    /// <summary>The one table of WeCom errcodes (doc 90313) that the client treats specially.</summary>
    public static class WeComErrorCodes
    {
        public const int SystemBusy = -1;
        public const int InvalidSecret = 40001;
        public const int InvalidCorpId = 40013;
        public const int InvalidToken = 40014;
        public const int InvalidParameter = 40058;
        public const int InvalidTagId = 40068;
        public const int JobNotFound = 40088;
        public const int InvalidSecretAlt = 40091;
        public const int TokenMissing = 41001;
        public const int TokenExpired = 42001;
        public const int FrequencyLimit = 45009;
        public const int ConcurrencyLimit = 45033;
        public const int ApiNotPermitted = 48002;

        /// <summary>"api forbidden for contact assistant": the contacts-sync secret may not call the member and department exports (doc 96079).</summary>
        public const int ApiForbiddenForContactAssistant = 48009;
        public const int NoPermission = 60011;
        public const int IpNotAllowed = 60020;

        private static readonly Dictionary<int, WeComErrorInfo> Table = new()
        {
            [SystemBusy] = new(SystemBusy, WeComErrorKind.Busy, WeComRecovery.RetryWithBackoff, "WeCom is busy; the call was retried with backoff. Try again in a few minutes."),
            [InvalidSecret] = new(InvalidSecret, WeComErrorKind.Authentication, WeComRecovery.None, "Check the secret: use the secret of a self-built app of this CorpID (Apps > the app > Secret in the admin console)."),
            [InvalidSecretAlt] = new(InvalidSecretAlt, WeComErrorKind.Authentication, WeComRecovery.None, "Check the secret: use the secret of a self-built app of this CorpID (Apps > the app > Secret in the admin console)."),
            [InvalidCorpId] = new(InvalidCorpId, WeComErrorKind.Authentication, WeComRecovery.None, "Check the CorpID (My Company > Company Info in the WeCom admin console)."),
            [InvalidToken] = new(InvalidToken, WeComErrorKind.Authentication, WeComRecovery.RefreshToken, "The access token was rejected even after a refresh; reconnect with Connect-WeCom."),
            [TokenExpired] = new(TokenExpired, WeComErrorKind.Authentication, WeComRecovery.RefreshToken, "The access token expired even after a refresh; reconnect with Connect-WeCom."),
            [TokenMissing] = new(TokenMissing, WeComErrorKind.Authentication, WeComRecovery.None, "The call was sent without an access token; this is a bug in the module, please report it."),
            [InvalidParameter] = new(InvalidParameter, WeComErrorKind.InvalidArgument, WeComRecovery.None, "WeCom rejected a parameter: see its message; check -BlockSize (10000..1000000) and -EncodingAesKey (43 letters and digits)."),
            [InvalidTagId] = new(InvalidTagId, WeComErrorKind.NotFound, WeComRecovery.None, "The tag does not exist or the app cannot read it; list the tags the app can read with Get-WeComTag."),
            [JobNotFound] = new(JobNotFound, WeComErrorKind.NotFound, WeComRecovery.None, "The job id is unknown, expired (jobs live 7 days) or belongs to another app or corp; start a new export."),
            [FrequencyLimit] = new(FrequencyLimit, WeComErrorKind.LimitExceeded, WeComRecovery.RetryWithBackoff, "WeCom's rate limit was hit; wait a minute (an hour-level block lasts 60 minutes) and try again."),
            [ConcurrencyLimit] = new(ConcurrencyLimit, WeComErrorKind.LimitExceeded, WeComRecovery.RetryWithBackoff, "Too many concurrent calls for this app; run fewer exports at once and try again."),
            [ApiNotPermitted] = new(ApiNotPermitted, WeComErrorKind.PermissionDenied, WeComRecovery.None, "This app may not call this API: in the admin console, grant the self-built app read permission on contacts, or widen its visible range to cover the directory."),
            [ApiForbiddenForContactAssistant] = new(ApiForbiddenForContactAssistant, WeComErrorKind.PermissionDenied, WeComRecovery.None, "Since 2022 the contacts-sync (通讯录同步) secret can no longer call the member and department exports from new IPs: use the secret of a self-built app whose visible range covers the directory (tag exports are not affected)."),
            [NoPermission] = new(NoPermission, WeComErrorKind.PermissionDenied, WeComRecovery.None, "The app cannot see these members, departments or tags: widen its visible range in the admin console."),
            [IpNotAllowed] = new(IpNotAllowed, WeComErrorKind.PermissionDenied, WeComRecovery.None, "This machine's IP is not in the app's trusted IPs (getting a token still works; this shows at the first business call): add this machine's IP to the app's trusted IPs in the admin console (App > Trusted IP)."),
        };

        /// <summary>Every errcode in the table, in code order.</summary>
        public static IEnumerable<WeComErrorInfo> Known => Table.Values.OrderBy(info => info.Code);

        /// <summary>What <paramref name="code"/> means; unknown codes fail at once with a pointer to WeCom's error lookup.</summary>
        public static WeComErrorInfo Describe(int code) =>
            Table.TryGetValue(code, out WeComErrorInfo? info)
                ? info
                : new WeComErrorInfo(code, WeComErrorKind.OperationFailed, WeComRecovery.None, $"See https://open.work.weixin.qq.com/devtool/query?e={code} for what this errcode means.");
    }
}

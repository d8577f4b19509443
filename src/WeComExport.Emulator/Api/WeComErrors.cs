using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace WeComExport.Emulator.Api
{
    /// <summary>WeCom's error answers: HTTP 200, {"errcode":N,"errmsg":"text, hint: [...], from ip: ..., more info at ...?e=N"}.</summary>
    internal static class WeComErrors
    {
        public const int SystemBusy = -1;
        public const int InvalidCredential = 40001;
        public const int InvalidCorpId = 40013;
        public const int InvalidAccessToken = 40014;
        public const int InvalidParameter = 40058;
        public const int InvalidTagId = 40068;
        public const int InvalidJobId = 40088;
        public const int AccessTokenMissing = 41001;
        public const int CorpIdMissing = 41002;
        public const int CorpSecretMissing = 41004;
        public const int AccessTokenExpired = 42001;
        public const int RequireGet = 43001;
        public const int RequirePost = 43002;
        public const int FrequencyLimit = 45009;
        public const int ConcurrencyLimit = 45033;
        public const int ApiForbidden = 48001;
        public const int ContactAssistantForbidden = 48009;
        public const int IpNotAllowed = 60020;

        private static long hintCounter = DateTimeOffset.UtcNow.ToUnixTimeSeconds() * 1000;

        public static string Text(int errcode) => errcode switch
        {
            SystemBusy => "system busy",
            InvalidCredential => "invalid credential",
            InvalidCorpId => "invalid corpid",
            InvalidAccessToken => "invalid access_token",
            InvalidParameter => "invalid Request Parameter",
            InvalidTagId => "invalid tagid",
            InvalidJobId => "invalid jobid",
            AccessTokenMissing => "access_token missing",
            CorpIdMissing => "corpid missing",
            CorpSecretMissing => "corpsecret missing",
            AccessTokenExpired => "access_token expired",
            RequireGet => "require GET method",
            RequirePost => "require POST method",
            FrequencyLimit => "api freq out of limit",
            ConcurrencyLimit => "api concurrent out of limit",
            ApiForbidden => "api forbidden",
            ContactAssistantForbidden => "api forbidden for contact assistant",
            IpNotAllowed => "not allow to access from your ip",
            _ => "error",
        };

        /// <summary>The errmsg for <paramref name="errcode"/>; <paramref name="detail"/> (never a secret) follows the standard text.</summary>
        public static string Message(int errcode, string? detail, string? ip)
        {
            long hint = Interlocked.Increment(ref hintCounter);
            string text = detail is null ? Text(errcode) : Text(errcode) + ": " + detail;
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{text}, hint: [{hint}{Environment.ProcessId % 100000:D5}], from ip: {ip ?? "127.0.0.1"}, more info at https://open.work.weixin.qq.com/devtool/query?e={errcode}");
        }

        public static Task WriteAsync(HttpContext ctx, int errcode, string? detail = null, CancellationToken ct = default)
        {
            string ip = ctx.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1";
            return JsonAnswer.WriteAsync(ctx, 200, w =>
            {
                w.WriteNumber("errcode", errcode);
                w.WriteString("errmsg", Message(errcode, detail, ip));
            }, ct);
        }
    }
}

using System;
using System.Net;

namespace WeComExport.Api
{
    /// <summary>
    /// The rule for where the module may send credentials or fetch blocks: HTTPS anywhere, plain HTTP
    /// only to this machine, and never an address with user info (a name or password before '@').
    /// Downloads are held to the API address: plain HTTP (to loopback) only when the API address is
    /// itself plain HTTP to loopback (the emulator), so WeCom or a redirect cannot point a download at
    /// a local service.
    /// </summary>
    public static class WeComEndpoint
    {
        public static readonly Uri DefaultBaseUri = new("https://qyapi.weixin.qq.com/");

        /// <summary>Returns why <paramref name="uri"/> is not acceptable as the API address, or null when it is.</summary>
        public static string? Validate(Uri? uri) =>
            Problem(uri, "address", " such as https://qyapi.weixin.qq.com", "credentials travel only over HTTPS; plain HTTP is accepted for loopback addresses (the local emulator) only");

        /// <summary>
        /// Returns why a block download URL (from get_result, or any redirect hop of a download) may not
        /// be fetched by a session whose API address is <paramref name="apiBase"/>, or null when it may:
        /// HTTPS without user info; plain HTTP only to a loopback address and only when
        /// <paramref name="apiBase"/> is itself plain HTTP to loopback (the local emulator). With an HTTPS
        /// API address every download and hop must be HTTPS: an http://127.0.0.1:port URL would reach a
        /// local service (an SSRF). The reason never holds the URL's path, query (its authkey) or user info.
        /// </summary>
        public static string? ValidateDownload(Uri? url, Uri apiBase)
        {
            if (apiBase is null)
            {
                throw new ArgumentNullException(nameof(apiBase));
            }

            bool emulator = IsPlainHttpLoopback(apiBase);
            string rule = emulator
                ? "downloads go only over HTTPS; plain HTTP is accepted for loopback addresses (the local emulator) only"
                : "downloads go only over HTTPS while the API address is HTTPS; plain HTTP to a loopback address is accepted only when the API address is one (the local emulator)";
            return Problem(url, "download address", string.Empty, rule)
                ?? (emulator || url!.Scheme == Uri.UriSchemeHttps ? null : $"'{Describe(url)}' is refused: {rule}.");
        }

        /// <summary><c>scheme://host:port</c> of <paramref name="uri"/>: never its user info, path or query, so it is safe to print.</summary>
        public static string Describe(Uri uri) =>
            uri is not null && uri.IsAbsoluteUri ? uri.Scheme + "://" + uri.Authority : "(not an absolute address)";

        /// <summary>The base URI with a trailing slash, so relative API paths append instead of replacing.</summary>
        public static Uri Normalize(Uri uri)
        {
            string? problem = Validate(uri);
            if (problem is not null)
            {
                throw new ArgumentException(problem, nameof(uri));
            }

            string text = uri.GetLeftPart(UriPartial.Path);
            return new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/");
        }

        private static string? Problem(Uri? uri, string what, string example, string rule)
        {
            if (uri is null || !uri.IsAbsoluteUri)
            {
                return $"The {what} must be an absolute URI{example}.";
            }

            if (uri.UserInfo.Length > 0)
            {
                return $"The {what} '{Describe(uri)}' carries a user name or password before '@': user info is not allowed.";
            }

            if (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri)))
            {
                return null;
            }

            return $"'{Describe(uri)}' is refused: {rule}.";
        }

        private static bool IsPlainHttpLoopback(Uri uri) => uri.IsAbsoluteUri && uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri);

        private static bool IsLoopback(Uri uri) =>
            uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out IPAddress? address) && IPAddress.IsLoopback(address));
    }
}

using System;
using System.Net;

namespace WeComExport.Api
{
    /// <summary>
    /// The rule for where the module may send credentials or fetch blocks: HTTPS anywhere, plain HTTP
    /// only to this machine, and never an address with user info (a name or password before '@').
    /// </summary>
    public static class WeComEndpoint
    {
        public static readonly Uri DefaultBaseUri = new("https://qyapi.weixin.qq.com/");

        /// <summary>Returns why <paramref name="uri"/> is not acceptable as the API address, or null when it is.</summary>
        public static string? Validate(Uri? uri) =>
            Problem(uri, "address", " such as https://qyapi.weixin.qq.com", "credentials travel only over HTTPS; plain HTTP is accepted for loopback addresses (the local emulator) only");

        /// <summary>
        /// Returns why a block download URL (from get_result, or any redirect hop of a download) may not
        /// be fetched, or null when it may: the same rule as the API address. The reason never holds the
        /// URL's path, query (its authkey) or user info.
        /// </summary>
        public static string? ValidateDownload(Uri? url) =>
            Problem(url, "download address", string.Empty, "downloads go only over HTTPS; plain HTTP is accepted for loopback addresses (the local emulator) only");

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

        private static bool IsLoopback(Uri uri) =>
            uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out IPAddress? address) && IPAddress.IsLoopback(address));
    }
}

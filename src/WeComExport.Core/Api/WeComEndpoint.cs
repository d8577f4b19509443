using System;
using System.Net;

namespace WeComExport.Api
{
    /// <summary>The rule for where the module may send credentials: HTTPS anywhere, plain HTTP only to this machine.</summary>
    public static class WeComEndpoint
    {
        public static readonly Uri DefaultBaseUri = new("https://qyapi.weixin.qq.com/");

        /// <summary>Returns why <paramref name="uri"/> is not acceptable, or null when it is.</summary>
        public static string? Validate(Uri? uri)
        {
            if (uri is null || !uri.IsAbsoluteUri)
            {
                return "The address must be an absolute URI such as https://qyapi.weixin.qq.com.";
            }

            if (uri.Scheme == Uri.UriSchemeHttps)
            {
                return null;
            }

            if (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri))
            {
                return null;
            }

            return $"'{uri.GetLeftPart(UriPartial.Authority)}' is refused: credentials travel only over HTTPS; plain HTTP is accepted for loopback addresses (the local emulator) only.";
        }

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

        private static bool IsLoopback(Uri uri) =>
            uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out IPAddress? address) && IPAddress.IsLoopback(address));
    }
}

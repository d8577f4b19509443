using System;
using System.Text.RegularExpressions;

namespace WeComExport.Diagnostics
{
    /// <summary>
    /// The one place that hides secrets in text meant for people: query parameters and JSON fields
    /// that carry a secret, token, key or download credential, and the user info of any URI.
    /// </summary>
    public static class Redactor
    {
        public const string Mask = "***";

        private static readonly Regex QuerySecret = new(
            @"(?<name>(?:[?&]|\\u0026|%26)(?:access_token|corpsecret|authkey|encoding_aeskey|token|echostr)=)[^&\s""'\\]*",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        private static readonly Regex JsonSecret = new(
            @"(?<name>""(?:access_token|corpsecret|secret|encoding_aeskey|encodingAesKey|token)""\s*:\s*"")[^""]*",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        // The user info of a URI ("scheme://name:password@host"): addresses with it are refused, but a refused one may still be printed.
        private static readonly Regex UriUserInfo = new(
            @"(?<name>\b[a-z][a-z0-9+.\-]*://)[^/?#\s@'""]+@",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        public static string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            string result = QuerySecret.Replace(text, m => m.Groups["name"].Value + Mask);
            result = UriUserInfo.Replace(result, m => m.Groups["name"].Value + Mask + "@");
            return JsonSecret.Replace(result, m => m.Groups["name"].Value + Mask);
        }

        public static string Redact(Uri uri) => Redact(uri?.ToString());
    }
}

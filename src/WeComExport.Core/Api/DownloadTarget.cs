using System;
using System.Net;

namespace WeComExport.Api
{
    /// <summary>
    /// Where a block download may go: <see cref="WeComEndpoint.ValidateDownload(Uri, Uri)"/> (HTTPS; plain HTTP to
    /// loopback only when the session's API address is plain HTTP to loopback) for the URL get_result gives and
    /// for every redirect hop, no user info in the URL, and at most <see cref="MaxRedirects"/> hops. Checked
    /// before any connection is made.
    /// </summary>
    internal static class DownloadTarget
    {
        /// <summary>Redirects followed for one download; real WeCom URLs need none.</summary>
        public const int MaxRedirects = 5;

        /// <summary>Throws WeComInvalidAnswer when <paramref name="url"/> may not be fetched by a session whose API address is <paramref name="apiBase"/>.</summary>
        public static void ThrowIfRefused(Uri url, Uri apiBase, bool redirected)
        {
            string where = redirected ? "The block download was redirected to an address that" : "get_result gave a block download URL that";
            // WeComEndpoint's one rule; its reason never shows the path, the authkey or user info.
            string? problem = WeComEndpoint.ValidateDownload(url, apiBase);
            if (problem is not null)
            {
                throw Refused($"{where} is not allowed: {problem}");
            }
        }

        public static bool IsRedirect(HttpStatusCode status) =>
            status is HttpStatusCode.MultipleChoices or HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
                or HttpStatusCode.TemporaryRedirect or (HttpStatusCode)308;

        /// <summary>The next hop of a redirect answered by <paramref name="from"/>; throws when there is none or too many.</summary>
        public static Uri Next(Uri from, Uri? location, HttpStatusCode status, int hopsSoFar, Uri apiBase)
        {
            if (location is null)
            {
                throw Refused($"The block download answered HTTP {(int)status} without a Location to go to.");
            }

            if (hopsSoFar >= MaxRedirects)
            {
                throw Refused($"The block download was redirected more than {MaxRedirects} times.");
            }

            Uri next = location.IsAbsoluteUri ? location : new Uri(from, location);
            ThrowIfRefused(next, apiBase, redirected: true);
            return next;
        }

        private static WeComException Refused(string message) => new(WeComErrors.InvalidAnswer, message);
    }
}

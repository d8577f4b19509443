using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using WeComExport.Diagnostics;
using WeComExport.Internal;

namespace WeComExport.Export
{
    /// <summary>
    /// A download link refused with HTTP 200 and a short page in place of the block: an HTML error page, or a
    /// JSON <c>{"errcode":…}</c> as WeCom's other download APIs answer a bad link. Such an answer is a refused link
    /// (fresh links are fetched), not a body cut short that Range could complete. A page is told from ciphertext by
    /// what it holds (an HTML tag, a JSON object with errcode), never by its media type, which a CDN may get wrong.
    /// </summary>
    internal static class RefusalPage
    {
        /// <summary>The largest answer looked at: error pages are small, and only this much is held in memory.</summary>
        internal const int MaxPageBytes = 64 * 1024;

        private const int MaxShownChars = 160;

        private static readonly Regex HtmlMarker = new(@"<(?:!doctype\s+html|html|head|body|title)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private static readonly Regex HtmlTitle = new(@"<title[^>]*>(?<title>[^<]*)<", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>
        /// Whether a 200 is read into memory and looked at before it is taken for the block: one whose announced length
        /// shows it is not the whole block, small enough to be a page (the answer to a resume, or one longer than a tiny
        /// block), or any answer without a length for a block no bigger than a page.
        /// </summary>
        public static bool IsLookedAtFirst(HttpResponseMessage response, long offset, long blockSize) =>
            response.StatusCode == HttpStatusCode.OK &&
            (response.Content.Headers.ContentLength is long length
                ? length <= MaxPageBytes && length != blockSize && (offset > 0 || length > blockSize)
                : blockSize <= MaxPageBytes);

        /// <summary>
        /// What the first <paramref name="length"/> bytes are, for a message ("an HTML page titled '…'"), with the secret
        /// values of <paramref name="urls"/> (the link, the hop that answered) masked wherever the page echoes them; null when the bytes are not a page
        /// (ciphertext cut short).
        /// </summary>
        public static string? Describe(byte[] body, int length, params Uri[] urls)
        {
            int start = JsonWhiteSpace.FirstSignificant(body.AsSpan(0, length));
            return start == length ? null : body[start] switch
            {
                (byte)'<' => DescribeHtml(Encoding.UTF8.GetString(body, start, length - start), urls),
                (byte)'{' => DescribeJson(new ReadOnlyMemory<byte>(body, start, length - start), urls),
                _ => null,
            };
        }

        /// <summary>Whether the bytes begin as a page would (<c>&lt;</c> or <c>{</c> after a byte-order mark and white space).</summary>
        public static bool StartsLikePage(byte[] body, int length)
        {
            int start = JsonWhiteSpace.FirstSignificant(body.AsSpan(0, length));
            return start < length && body[start] is (byte)'<' or (byte)'{';
        }

        private static string? DescribeHtml(string text, Uri[] urls)
        {
            if (!HtmlMarker.IsMatch(text))
            {
                return null;
            }

            Match title = HtmlTitle.Match(text);
            string shown = title.Success ? Shown(WebUtility.HtmlDecode(title.Groups["title"].Value).Trim(), urls) : string.Empty;
            return shown.Length == 0 ? "an HTML page" : $"an HTML page titled '{shown}'";
        }

        private static string? DescribeJson(ReadOnlyMemory<byte> json, Uri[] urls)
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("errcode", out JsonElement errcode))
                {
                    return null;
                }

                string code = errcode.ValueKind is JsonValueKind.Number or JsonValueKind.String ? Shown(TextOf(errcode), urls) : errcode.ValueKind.ToString();
                string message = root.TryGetProperty("errmsg", out JsonElement errmsg) && errmsg.ValueKind == JsonValueKind.String ? Shown(TextOf(errmsg), urls) : string.Empty;
                return string.Format(CultureInfo.InvariantCulture, "a JSON error (errcode {0}{1})", code, message.Length == 0 ? string.Empty : ": '" + message + "'");
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>A number's text or a string's; a string that is not UTF-8 (GetString throws) is named, not shown.</summary>
        private static string TextOf(JsonElement value)
        {
            try
            {
                return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            }
            catch (InvalidOperationException)
            {
                return "(text that is not UTF-8)";
            }
        }

        /// <summary>A server's words, the link's secrets masked first (a cut could leave part of one no rule would know), cut to a line.</summary>
        private static string Shown(string text, Uri[] urls)
        {
            string masked = text;
            foreach (Uri url in urls)
            {
                masked = Redactor.RedactEchoOf(masked, url);
            }

            return masked.Length <= MaxShownChars ? masked : masked.Substring(0, MaxShownChars) + "…";
        }
    }
}

using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WeComExport.Export
{
    /// <summary>
    /// A download link refused with HTTP 200 and a short page in place of the block: an HTML error page, or a
    /// JSON <c>{"errcode":…}</c> as WeCom's other download APIs answer a bad link. Such an answer is a refused link
    /// (fresh links are fetched), not a body cut short that Range could complete.
    /// </summary>
    internal static class RefusalPage
    {
        /// <summary>The largest answer looked at: error pages are small, and only this much is held in memory.</summary>
        internal const int MaxPageBytes = 64 * 1024;

        private const int MaxShownChars = 160;

        private static readonly Regex HtmlMarker = new(@"<(?:!doctype\s+html|html|head|body|title)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private static readonly Regex HtmlTitle = new(@"<title[^>]*>(?<title>[^<]*)<", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>
        /// Whether the answer could be such a page: 200 (the whole block) with a Content-Length under the block's size
        /// and at most <see cref="MaxPageBytes"/> (a block's own bytes are never fewer than get_result announced), or
        /// with none and a page's media type (HTML, JSON).
        /// </summary>
        public static bool MayBe(HttpResponseMessage response, long blockSize) =>
            response.StatusCode == HttpStatusCode.OK &&
            (response.Content.Headers.ContentLength is long length
                ? length < blockSize && length <= MaxPageBytes
                : IsPageMediaType(response.Content.Headers.ContentType?.MediaType));

        /// <summary>What the first <paramref name="length"/> bytes are, for a message ("an HTML page titled '…'"); null when they are not a page (ciphertext cut short).</summary>
        public static string? Describe(byte[] body, int length)
        {
            int start = length >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF ? 3 : 0;
            while (start < length && body[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                start++;
            }

            if (start == length)
            {
                return null;
            }

            return body[start] switch
            {
                (byte)'<' => DescribeHtml(Encoding.UTF8.GetString(body, start, length - start)),
                (byte)'{' => DescribeJson(new ReadOnlyMemory<byte>(body, start, length - start)),
                _ => null,
            };
        }

        private static bool IsPageMediaType(string? mediaType) =>
            mediaType is not null && (mediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) ||
                mediaType.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase) ||
                mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
                mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase));

        private static string? DescribeHtml(string text)
        {
            if (!HtmlMarker.IsMatch(text))
            {
                return null;
            }

            Match title = HtmlTitle.Match(text);
            string shown = title.Success ? Shorten(WebUtility.HtmlDecode(title.Groups["title"].Value).Trim()) : string.Empty;
            return shown.Length == 0 ? "an HTML page" : $"an HTML page titled '{shown}'";
        }

        private static string? DescribeJson(ReadOnlyMemory<byte> json)
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("errcode", out JsonElement errcode))
                {
                    return null;
                }

                string code = errcode.ValueKind is JsonValueKind.Number or JsonValueKind.String ? Shorten(errcode.ToString()) : errcode.ValueKind.ToString();
                string message = root.TryGetProperty("errmsg", out JsonElement errmsg) && errmsg.ValueKind == JsonValueKind.String ? Shorten(errmsg.GetString()!) : string.Empty;
                return string.Format(CultureInfo.InvariantCulture, "a JSON error (errcode {0}{1})", code, message.Length == 0 ? string.Empty : ": '" + message + "'");
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static string Shorten(string text) => text.Length <= MaxShownChars ? text : text.Substring(0, MaxShownChars) + "…";
    }
}

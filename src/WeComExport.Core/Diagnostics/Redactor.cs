using System;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace WeComExport.Diagnostics
{
    /// <summary>
    /// The one place that makes text safe for people to read, whoever wrote it: it hides secrets (query
    /// parameters and JSON fields that carry a secret, token, key or download credential, and the user
    /// info of any URI), and it shows characters that would steer a terminal or reorder text as visible
    /// <c>\uXXXX</c> (C0 controls, CR and LF included, DEL, C1 controls such as U+009B, bidi overrides
    /// and isolates, line and paragraph separators), so a server's text cannot colour the console, set
    /// its title or forge a line. Every Verbose/Debug line (<see cref="WeComLog"/>) and every engine
    /// exception message passes through it; record data (names, tags) never does.
    /// </summary>
    public static class Redactor
    {
        public const string Mask = "***";

        // Not RegexOptions.Compiled: a call redacts a handful of lines, and compiling costs more at the first
        // line (emitted code to JIT, in the runbook's one big call) than it could save on the rest.

        /// <summary>The query parameter names whose value is a secret.</summary>
        private const string QuerySecretNames = "access_token|corpsecret|authkey|encoding_aeskey|token|echostr";

        // The separator and '=' also percent-escaped: a URL quoted inside another one (an error page echoing the request);
        // there the mask runs on over the rest of the quoted query (%26 is no stop), which hides more, never less.
        private static readonly Regex QuerySecret = new(
            @"(?<name>(?:[?&]|\\u0026|%26)(?:" + QuerySecretNames + @")(?:=|%3D))[^&\s""'\\]*",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private static readonly Regex QuerySecretName = new("^(?:" + QuerySecretNames + ")$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>The JSON field names whose string value is a secret.</summary>
        private const string JsonSecretNames = "access_token|corpsecret|secret|encoding_aeskey|encodingAesKey|token|authkey";

        private static readonly Regex JsonSecret = new(
            @"(?<name>""(?:" + JsonSecretNames + @")""\s*:\s*"")(?:[^""\\]|\\.)*",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        // The same field inside JSON text that is itself a JSON string (an errmsg echoing a request: {\"access_token\":\"…\"}):
        // its value ends at the next \".
        private static readonly Regex EscapedJsonSecret = new(
            @"(?<name>\\""(?:" + JsonSecretNames + @")\\""\s*:\s*\\"")(?:[^""\\]|\\(?!""))*",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        // A JSON \u escape of a plain ASCII character ("access\u005ftoken", "auth\u006bey=", a token's letters): shown as
        // the character before the secrets are looked for, so an escape can neither hide a secret's name nor cut its mask short.
        private static readonly Regex AsciiEscape = new(
            @"\\u00(?<hex>[2-7][0-9a-fA-F])",
            RegexOptions.CultureInvariant);

        // The user info of a URI ("scheme://name:password@host"): addresses with it are refused, but a refused one may still be printed.
        private static readonly Regex UriUserInfo = new(
            @"(?<name>\b[a-z][a-z0-9+.\-]*://)[^/?#\s@'""]+@",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        public static string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            // Masked first: a control character inside a secret is masked with it, not left behind escaped.
            string result = text!.IndexOf("\\u00", StringComparison.OrdinalIgnoreCase) < 0 ? text : AsciiEscape.Replace(text, DecodeIfPlain);
            result = result.Replace("\\/", "/"); // JSON's escaped slash (PHP writes every '/' so), inside a URL's authkey too
            result = QuerySecret.Replace(result, m => m.Groups["name"].Value + Mask);
            result = UriUserInfo.Replace(result, m => m.Groups["name"].Value + Mask + "@");
            result = JsonSecret.Replace(result, m => m.Groups["name"].Value + Mask);
            result = EscapedJsonSecret.Replace(result, m => m.Groups["name"].Value + Mask);
            return EscapeUnsafe(result);
        }

        /// <summary>
        /// A URI as sent, percent-escapes kept: <see cref="Uri.ToString"/> would show a token's <c>%22</c> or <c>%20</c> as
        /// a quote or a space, where the query rule's mask (which ends there, for URLs inside JSON text) would stop short.
        /// </summary>
        public static string Redact(Uri? uri) => Redact(uri is null ? null : uri.IsAbsoluteUri ? uri.AbsoluteUri : uri.OriginalString);

        /// <summary>
        /// Text a server wrote in answer to <paramref name="url"/> (an error page), with the URL's secret query values
        /// masked wherever the text echoes them, as sent or unescaped ("invalid authkey: …"): outside a query, no
        /// pattern would know them. Values shorter than 4 characters are left: they could not be told from words.
        /// </summary>
        public static string RedactEchoOf(string text, Uri url)
        {
            string result = text;
            string query = url.IsAbsoluteUri ? url.Query : string.Empty;
            foreach (string pair in query.TrimStart('?').Split('&'))
            {
                int equals = pair.IndexOf('=');
                if (equals <= 0 || !QuerySecretName.IsMatch(pair.Substring(0, equals)))
                {
                    continue;
                }

                // As sent, decoded, decoded as a form ('+' a space), and escaped again: escapes in any case.
                string sent = pair.Substring(equals + 1);
                string decoded = Uri.UnescapeDataString(sent);
                foreach (string value in new[] { sent, decoded, Uri.UnescapeDataString(sent.Replace('+', ' ')), Uri.EscapeDataString(decoded) })
                {
                    if (value.Length >= 4)
                    {
                        result = Regex.Replace(result, Regex.Escape(value), Mask, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
                    }
                }
            }

            return result;
        }

        private static string DecodeIfPlain(Match escape)
        {
            char c = (char)int.Parse(escape.Groups["hex"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            // Not '&': \\u0026 is how JSON text writes a URL's separator, and the query rule reads it as one. A quote
            // (System.Text.Json's default writes \\u0022) is shown as the escape \\" the escaped-JSON rule reads.
            return c == '"' ? "\\\""
                : char.IsLetterOrDigit(c) || c is '_' or '-' or '=' or '?' or '%' or '.' or '+' or '/' ? c.ToString()
                : escape.Value;
        }

        /// <summary>
        /// Whether <paramref name="c"/> is shown as <c>\uXXXX</c>: every C0 control (tab, CR and LF too: the text
        /// is one line), DEL, every C1 control (U+009B is a one-character CSI), the bidi embeddings and
        /// overrides U+202A..U+202E and isolates U+2066..U+2069, and the line and paragraph separators.
        /// </summary>
        internal static bool IsUnsafe(char c) =>
            c < '\u0020' || (c >= '\u007f' && c <= '\u009f') || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c is '\u2028' or '\u2029';

        private static string EscapeUnsafe(string text)
        {
            int first = 0;
            while (first < text.Length && !IsUnsafe(text[first]))
            {
                first++;
            }

            if (first == text.Length)
            {
                return text;
            }

            var shown = new StringBuilder(text.Length + 16).Append(text, 0, first);
            for (int i = first; i < text.Length; i++)
            {
                char c = text[i];
                if (IsUnsafe(c))
                {
                    shown.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                }
                else
                {
                    shown.Append(c);
                }
            }

            return shown.ToString();
        }
    }
}

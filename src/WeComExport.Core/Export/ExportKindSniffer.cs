using System.IO;
using System.Text;
using WeComExport.Blocks;
using WeComExport.Internal;

namespace WeComExport.Export
{
    /// <summary>
    /// Tells a block's export kind from its first field, for jobs known only by id (e.g. from a
    /// notification without a JobType): "department" → Department, "tagname"/"partylist" → TagUser,
    /// "userlist" → User (member and member-detail blocks share one record type).
    /// </summary>
    internal static class ExportKindSniffer
    {
        private const int PeekBytes = 512;

        public static ExportKind Detect(Stream plaintext)
        {
            var buffer = new byte[PeekBytes];
            int filled = StreamFill.Fill(plaintext, buffer, buffer.Length);

            string head = Encoding.UTF8.GetString(buffer, 0, filled);
            int brace = head.IndexOf('{');
            int quote = brace < 0 ? -1 : head.IndexOf('"', brace);
            int end = quote < 0 ? -1 : head.IndexOf('"', quote + 1);
            string first = end < 0 ? string.Empty : head.Substring(quote + 1, end - quote - 1);
            return first switch
            {
                "department" => ExportKind.Department,
                "tagname" or "partylist" => ExportKind.TagUser,
                "userlist" => ExportKind.User,
                _ => throw new ExportFormatException($"the block does not start with a known list (found \"{(first.Length > 32 ? first.Substring(0, 32) : first)}\"), so its export kind cannot be told from it.", 0),
            };
        }
    }
}

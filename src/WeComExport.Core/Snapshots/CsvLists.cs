using System.Text;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// How a list is written into one CSV cell: items joined with <c>;</c>, and inside an item a <c>;</c>
    /// or <c>\</c> written as <c>\;</c> or <c>\\</c>, so that the cell splits back into exactly its items.
    /// A department path joins names with <c>/</c> and escapes <c>/</c> in a name as <c>\/</c> the same
    /// way (one level of escaping for both separators). Reading back: a backslash takes the next
    /// character literally; an unescaped <c>;</c> ends an item, an unescaped <c>/</c> a path level.
    /// </summary>
    internal static class CsvLists
    {
        private static readonly char[] ItemSpecials = { '\\', ';' };

        private static readonly char[] SlashSpecials = { '\\', ';', '/' };

        /// <summary>A list item: <c>\</c> and <c>;</c> escaped. Returns the same string when there is nothing to escape.</summary>
        public static string Item(string? value) => Escape(value, escapeSlash: false);

        /// <summary>A department name as one level of a path: <c>\</c>, <c>;</c> and <c>/</c> escaped.</summary>
        public static string PathLevel(string? value) => Escape(value, escapeSlash: true);

        /// <summary>Appends <paramref name="item"/> (already escaped) to a list being built, with the separator when it is not the first.</summary>
        public static void Append(StringBuilder list, string item, bool first)
        {
            if (!first)
            {
                list.Append(';');
            }

            list.Append(item);
        }

        private static string Escape(string? value, bool escapeSlash)
        {
            if (string.IsNullOrEmpty(value))
            {
                return string.Empty;
            }

            int first = escapeSlash ? value!.IndexOfAny(SlashSpecials) : value!.IndexOfAny(ItemSpecials);
            if (first < 0)
            {
                return value;
            }

            var escaped = new StringBuilder(value.Length + 4);
            escaped.Append(value, 0, first);
            for (int i = first; i < value.Length; i++)
            {
                char c = value[i];
                if (c == '\\' || c == ';' || (escapeSlash && c == '/'))
                {
                    escaped.Append('\\');
                }

                escaped.Append(c);
            }

            return escaped.ToString();
        }
    }
}

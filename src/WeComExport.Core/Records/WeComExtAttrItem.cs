using System.Collections.Generic;

namespace WeComExport.Records
{
    /// <summary>
    /// One custom attribute: type 0 text (text.value), 1 web (web.url, web.title), 2 mini program
    /// (kept as AdditionalFields["miniprogram"]). Other fields, and unknown fields inside text or web
    /// (under the keys "text.&lt;name&gt;" and "web.&lt;name&gt;"), are kept in AdditionalFields.
    /// </summary>
    public sealed class WeComExtAttrItem
    {
        public WeComExtAttrItem(IReadOnlyDictionary<string, object?>? additionalFields = null)
        {
            AdditionalFields = additionalFields ?? JsonValues.EmptyObject;
        }

        /// <summary>The prefix of AdditionalFields keys that hold an unknown field inside text.</summary>
        internal const string TextFieldPrefix = "text.";

        /// <summary>The prefix of AdditionalFields keys that hold an unknown field inside web.</summary>
        internal const string WebFieldPrefix = "web.";

        public int Type { get; init; }

        public string? Name { get; init; }

        public string? TextValue { get; init; }

        public string? WebUrl { get; init; }

        public string? WebTitle { get; init; }

        public IReadOnlyDictionary<string, object?> AdditionalFields { get; }

        /// <summary>"name=value": the text value, else the web url, else the mini program's title.</summary>
        public override string ToString() => $"{Name}={TextValue ?? WebUrl ?? MiniProgramTitle()}";

        /// <summary>A mini program's title (type 2 keeps its fields in AdditionalFields["miniprogram"]), or null.</summary>
        internal string? MiniProgramTitle() =>
            AdditionalFields.TryGetValue("miniprogram", out object? program)
            && program is IReadOnlyDictionary<string, object?> fields
            && fields.TryGetValue("title", out object? title)
                ? title as string
                : null;
    }
}

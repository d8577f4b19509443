using System;
using System.Collections.Generic;
using WeComExport.Records;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// How a member's extended attributes go into members.csv: each item's <c>ExtAttr.&lt;name&gt;</c> cell, and, for a
    /// member whose cells cannot hold all its items hold, the items as WeCom sent them for the AdditionalFields cell.
    /// </summary>
    internal static class ExtAttrCells
    {
        /// <summary>
        /// An attribute's cell: the text value; for a web attribute the url, or <c>title &lt;url&gt;</c> when it has a
        /// title other than the url (a url holds no space or <c>&lt;</c>, so the last <c> &lt;</c> splits it back);
        /// for a mini program its title.
        /// </summary>
        public static string? Value(WeComExtAttrItem attr)
        {
            if (attr.TextValue is not null)
            {
                return attr.TextValue;
            }

            if (attr.WebUrl is not null || attr.WebTitle is not null)
            {
                return attr.WebUrl is null ? attr.WebTitle
                    : string.IsNullOrEmpty(attr.WebTitle) || attr.WebTitle == attr.WebUrl ? attr.WebUrl
                    : attr.WebTitle + " <" + attr.WebUrl + ">";
            }

            return attr.MiniProgramTitle();
        }

        /// <summary>
        /// Whether the item's name and cell say all it holds: a named text attribute with its value only, or a named
        /// web attribute with its url (and title) only. A mini program (appid, page path), a type WeCom may add, extra
        /// fields, or an item with no name do not.
        /// </summary>
        public static bool HoldsAll(WeComExtAttrItem attr) =>
            attr.Name is not null
            && attr.AdditionalFields.Count == 0
            && attr.Type switch
            {
                0 => attr.TextValue is not null && attr.WebUrl is null && attr.WebTitle is null,
                1 => attr.WebUrl is not null && attr.TextValue is null,
                _ => false,
            };

        /// <summary>The item in WeCom's shape: type, name, text {value, ...}, web {url, title, ...} and its other fields.</summary>
        public static IReadOnlyDictionary<string, object?> AsSent(WeComExtAttrItem attr)
        {
            var item = new Dictionary<string, object?>(StringComparer.Ordinal) { ["type"] = (long)attr.Type };
            if (attr.Name is not null)
            {
                item["name"] = attr.Name;
            }

            var text = new Dictionary<string, object?>(StringComparer.Ordinal);
            var web = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (attr.TextValue is not null)
            {
                text["value"] = attr.TextValue;
            }

            if (attr.WebUrl is not null)
            {
                web["url"] = attr.WebUrl;
            }

            if (attr.WebTitle is not null)
            {
                web["title"] = attr.WebTitle;
            }

            var others = new List<KeyValuePair<string, object?>>();
            foreach (KeyValuePair<string, object?> field in attr.AdditionalFields)
            {
                if (field.Key.StartsWith(WeComExtAttrItem.TextFieldPrefix, StringComparison.Ordinal))
                {
                    text[field.Key.Substring(WeComExtAttrItem.TextFieldPrefix.Length)] = field.Value;
                }
                else if (field.Key.StartsWith(WeComExtAttrItem.WebFieldPrefix, StringComparison.Ordinal))
                {
                    web[field.Key.Substring(WeComExtAttrItem.WebFieldPrefix.Length)] = field.Value;
                }
                else
                {
                    others.Add(field);
                }
            }

            if (text.Count > 0)
            {
                item["text"] = text;
            }

            if (web.Count > 0)
            {
                item["web"] = web;
            }

            foreach (KeyValuePair<string, object?> field in others)
            {
                item[field.Key] = field.Value;
            }

            return item;
        }
    }
}

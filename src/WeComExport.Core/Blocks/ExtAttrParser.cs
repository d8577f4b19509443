using System.Collections.Generic;
using System.Text.Json;
using WeComExport.Records;

namespace WeComExport.Blocks
{
    /// <summary>Builds a <see cref="WeComExtAttr"/> from a member's extattr object.</summary>
    internal sealed class ExtAttrParser
    {
        private const int Attrs = 1;
        private const int Type = 1;
        private const int Name = 2;
        private const int Text = 3;
        private const int Web = 4;
        // text {value} and web {url, title} share one reader: their first and second known fields.
        private const int FirstNested = 1;
        private const int SecondNested = 2;

        private static readonly string?[] ExtAttrNames = { null, "attrs" };
        private static readonly string?[] ItemNames = { null, "type", "name", "text", "web" };
        private static readonly string?[] TextNames = { null, "value" };
        private static readonly string?[] WebNames = { null, "url", "title" };

        private readonly FieldNameTable extAttrFields = new(ExtAttrNames);
        private readonly FieldNameTable itemFields = new(ItemNames);
        private readonly FieldNameTable textFields = new(TextNames);
        private readonly FieldNameTable webFields = new(WebNames);
        private readonly AdditionalFieldsBuilder additional = new();
        private readonly AdditionalFieldsBuilder itemAdditional = new();
        private readonly List<WeComExtAttrItem> items = new();
        private readonly RepeatedTextCache repeated;

        public ExtAttrParser(RepeatedTextCache repeated)
        {
            this.repeated = repeated;
        }

        /// <summary>Reads extattr from the token the reader is on: an object, or null.</summary>
        public FieldRead TryParse(ref Utf8JsonReader reader, out WeComExtAttr? extAttr)
        {
            extAttr = null;
            if (reader.TokenType == JsonTokenType.Null)
            {
                return FieldRead.Done;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return FieldRead.Mismatch;
            }

            additional.Clear();
            WeComList<WeComExtAttrItem> attrs = WeComList<WeComExtAttrItem>.Empty;
            while (true)
            {
                FieldStep step = extAttrFields.Next(ref reader, out int field, out string? unknownName);
                if (step == FieldStep.NeedMore)
                {
                    return FieldRead.NeedMore;
                }

                if (step == FieldStep.End)
                {
                    break;
                }

                if (field == Attrs && reader.TokenType == JsonTokenType.StartArray)
                {
                    if (!TryReadItems(ref reader, out attrs))
                    {
                        return FieldRead.NeedMore;
                    }
                }
                else if (!(field == Attrs && reader.TokenType == JsonTokenType.Null)
                    && !additional.TryKeep(ref reader, unknownName ?? ExtAttrNames[field]!))
                {
                    return FieldRead.NeedMore;
                }
            }

            extAttr = new WeComExtAttr(additional.Take()) { Attrs = attrs };
            return FieldRead.Done;
        }

        private bool TryReadItems(ref Utf8JsonReader reader, out WeComList<WeComExtAttrItem> attrs)
        {
            attrs = WeComList<WeComExtAttrItem>.Empty;
            items.Clear();
            while (true)
            {
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    attrs = WeComList<WeComExtAttrItem>.Own(items.ToArray());
                    return true;
                }

                WeComExtAttrItem? item;
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    if (!TryReadItem(ref reader, out item))
                    {
                        return false;
                    }
                }
                else
                {
                    // Not an object: keep it whole, so nothing WeCom sent is dropped.
                    itemAdditional.Clear();
                    if (!itemAdditional.TryKeep(ref reader, "value"))
                    {
                        return false;
                    }

                    item = new WeComExtAttrItem(itemAdditional.Take());
                }

                items.Add(item!);
            }
        }

        private bool TryReadItem(ref Utf8JsonReader reader, out WeComExtAttrItem? item)
        {
            item = null;
            itemAdditional.Clear();
            int? type = null;
            string? name = null, textValue = null, webUrl = null, webTitle = null;
            while (true)
            {
                FieldStep step = itemFields.Next(ref reader, out int field, out string? unknownName);
                if (step == FieldStep.NeedMore)
                {
                    return false;
                }

                if (step == FieldStep.End)
                {
                    break;
                }

                bool typed = field switch
                {
                    Type => JsonFields.TryGetInt32(ref reader, out type),
                    Name => repeated.TryGetText(ref reader, out name),
                    _ => false,
                };
                if (typed)
                {
                    continue;
                }

                if (field == Text && reader.TokenType == JsonTokenType.StartObject)
                {
                    if (!TryReadNested(ref reader, textFields, TextNames, WeComExtAttrItem.TextFieldPrefix, out textValue, out _))
                    {
                        return false;
                    }
                }
                else if (field == Web && reader.TokenType == JsonTokenType.StartObject)
                {
                    if (!TryReadNested(ref reader, webFields, WebNames, WeComExtAttrItem.WebFieldPrefix, out webUrl, out webTitle))
                    {
                        return false;
                    }
                }
                else if (!itemAdditional.TryKeep(ref reader, unknownName ?? ItemNames[field]!))
                {
                    return false;
                }
            }

            item = new WeComExtAttrItem(itemAdditional.Take())
            {
                Type = type ?? 0,
                Name = name,
                TextValue = textValue,
                WebUrl = webUrl,
                WebTitle = webTitle,
            };
            return true;
        }

        /// <summary>Reads text {value} or web {url, title}; other fields go to the item's additional fields as "text.x"/"web.x".</summary>
        private bool TryReadNested(ref Utf8JsonReader reader, FieldNameTable fields, string?[] jsonNames, string prefix, out string? first, out string? second)
        {
            first = null;
            second = null;
            while (true)
            {
                FieldStep step = fields.Next(ref reader, out int field, out string? unknownName);
                if (step == FieldStep.NeedMore)
                {
                    return false;
                }

                if (step == FieldStep.End)
                {
                    return true;
                }

                bool typed = field switch
                {
                    FirstNested => JsonFields.TryGetText(ref reader, out first),
                    SecondNested => repeated.TryGetText(ref reader, out second),
                    _ => false,
                };
                if (!typed && !itemAdditional.TryKeep(ref reader, prefix + (unknownName ?? jsonNames[field])))
                {
                    return false;
                }
            }
        }
    }
}

using System.Collections.Generic;

namespace WeComExport.Records
{
    /// <summary>A member's custom attributes (extattr). ToString reads "name=value;name=url".</summary>
    public sealed class WeComExtAttr
    {
        public WeComExtAttr(IReadOnlyDictionary<string, object?>? additionalFields = null)
        {
            AdditionalFields = additionalFields ?? JsonValues.EmptyObject;
        }

        public WeComList<WeComExtAttrItem> Attrs { get; init; } = WeComList<WeComExtAttrItem>.Empty;

        /// <summary>Fields of extattr other than attrs; empty when none.</summary>
        public IReadOnlyDictionary<string, object?> AdditionalFields { get; }

        public override string ToString() => Attrs.ToString();
    }
}

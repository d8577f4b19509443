using System.Collections.Generic;

namespace WeComExport.Records
{
    /// <summary>
    /// A record decoded from an export block. Fields this version does not know are kept in
    /// <see cref="AdditionalFields"/> as plain .NET values (string, long, double, bool, null,
    /// IReadOnlyDictionary&lt;string, object?&gt;, object?[]), so newer WeCom fields are not lost.
    /// </summary>
    public abstract class WeComRecord
    {
        private protected WeComRecord(IReadOnlyDictionary<string, object?>? additionalFields)
        {
            AdditionalFields = additionalFields ?? JsonValues.EmptyObject;
        }

        /// <summary>The record's unknown JSON fields by name; empty (never null) when there are none.</summary>
        public IReadOnlyDictionary<string, object?> AdditionalFields { get; internal set; }

        /// <summary>
        /// The CorpID of the corp the record was exported from, so output of several corps can be told apart
        /// and grouped. Not part of WeCom's JSON: the receiver stamps it before the record leaves the engine.
        /// </summary>
        public string? CorpId { get; internal set; }
    }
}

using System.Collections.Generic;

namespace WeComExport.Blocks
{
    /// <summary>What a block's field reads reuse from record to record: list buffers, the shared-string cache, the extattr parser.</summary>
    internal sealed class FieldScratch
    {
        public FieldScratch()
        {
            ExtAttr = new ExtAttrParser(Repeated);
        }

        public List<long> Numbers { get; } = new();

        public List<string> Texts { get; } = new();

        public RepeatedTextCache Repeated { get; } = new();

        public ExtAttrParser ExtAttr { get; }
    }
}

using System.Collections.Generic;
using WeComExport.Records;

namespace WeComExport.Blocks
{
    /// <summary>
    /// What a block's field reads reuse from record to record: list buffers, the shared-string cache, the extattr parser,
    /// and the window the reader reads (to keep an object's text rather than its values).
    /// </summary>
    internal sealed class FieldScratch
    {
        public FieldScratch(JsonChunkBuffer window)
        {
            Window = window;
            ExtAttr = new ExtAttrParser(Repeated);
        }

        /// <summary>The window the reader is over: an object field is kept as its text, copied from here, until read.</summary>
        public JsonChunkBuffer Window { get; }

        /// <summary>Checks an object kept as its text (<see cref="Records.KeptJsonText"/>).</summary>
        public KeptJsonText KeptJson { get; } = new();

        public List<long> Numbers { get; } = new();

        public List<string> Texts { get; } = new();

        public RepeatedTextCache Repeated { get; } = new();

        public ExtAttrParser ExtAttr { get; }
    }
}

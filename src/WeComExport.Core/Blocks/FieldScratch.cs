using System.Collections.Generic;

namespace WeComExport.Blocks
{
    /// <summary>
    /// What a block's field reads reuse from record to record: list buffers, the shared-string cache, the extattr parser,
    /// and the window the reader reads (to keep an object's text rather than its values).
    /// </summary>
    internal sealed class FieldScratch
    {
        private char[] chars = new char[256];

        public FieldScratch(JsonChunkBuffer? window = null)
        {
            Window = window;
            ExtAttr = new ExtAttrParser(Repeated);
        }

        /// <summary>The window the reader is over, when the parser has one: objects are then kept as their text until read.</summary>
        public JsonChunkBuffer? Window { get; }

        /// <summary>Room to check a string's text without keeping it.</summary>
        public ref char[] Chars => ref chars;

        public List<long> Numbers { get; } = new();

        public List<string> Texts { get; } = new();

        public RepeatedTextCache Repeated { get; } = new();

        public ExtAttrParser ExtAttr { get; }
    }
}

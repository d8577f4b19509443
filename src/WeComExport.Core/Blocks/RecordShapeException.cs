using System;
using WeComExport.Export;

namespace WeComExport.Blocks
{
    /// <summary>
    /// Thrown inside the parser when valid JSON has the wrong shape (the block is not an object, a list
    /// is not an array, a list is missing or of another kind); the parser turns it into an
    /// <see cref="ExportFormatException"/> with the position.
    /// </summary>
    internal sealed class RecordShapeException : Exception
    {
        public RecordShapeException(string message, bool kindMismatch = false, ExportKind? expectedKind = null)
            : base(message)
        {
            KindMismatch = kindMismatch;
            ExpectedKind = expectedKind;
        }

        /// <summary>The block holds another export kind's list.</summary>
        public bool KindMismatch { get; }

        public ExportKind? ExpectedKind { get; }
    }
}

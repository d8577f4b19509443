using System;

namespace WeComExport.Blocks
{
    /// <summary>
    /// Thrown inside the parser when valid JSON has the wrong shape (the block is not an object, a list
    /// is not an array); the parser turns it into an <see cref="ExportFormatException"/> with the position.
    /// </summary>
    internal sealed class RecordShapeException : Exception
    {
        public RecordShapeException(string message)
            : base(message)
        {
        }
    }
}

using System;
using System.Text.Json;

namespace WeComExport.Blocks
{
    /// <summary>
    /// A decrypted block is not the JSON its export kind should produce (malformed, truncated, or a
    /// field of the wrong type). Carries the plaintext byte position, never the block's content.
    /// </summary>
    public class ExportFormatException : FormatException
    {
        public ExportFormatException()
        {
        }

        public ExportFormatException(string message)
            : base(message)
        {
        }

        public ExportFormatException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        public ExportFormatException(string problem, long bytePosition, Exception? innerException = null)
            : base($"The export block's JSON is not as expected at byte {bytePosition} of its plaintext: {problem}", innerException)
        {
            BytePosition = bytePosition;
        }

        /// <summary>Where in the block's decrypted JSON (bytes from its start) the problem was found.</summary>
        public long BytePosition { get; }

        internal static ExportFormatException FromJson(JsonException e, long bytePosition) =>
            new($"malformed or truncated JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} of that line).", bytePosition, e);
    }
}

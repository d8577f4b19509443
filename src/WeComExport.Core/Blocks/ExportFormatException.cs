using System;
using System.Text.Json;
using WeComExport.Internal;

namespace WeComExport.Blocks
{
    /// <summary>
    /// A decrypted block is not the JSON its export kind should produce (malformed, truncated, a field
    /// of the wrong type, or without the list its kind requires). Carries the plaintext byte position
    /// and, once the receiver knows it, the block's index; never the block's content.
    /// </summary>
    public class ExportFormatException : FormatException
    {
        private readonly string? problem;

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
            : base(Describe(problem, bytePosition, null), innerException)
        {
            this.problem = problem;
            BytePosition = bytePosition;
        }

        /// <summary>Where in the block's decrypted JSON (bytes from its start) the problem was found.</summary>
        public long BytePosition { get; }

        /// <summary>The index of the export's block (0-based, as in get_result's data_list) that holds the problem; null when not known.</summary>
        public int? BlockIndex { get; private set; }

        public override string Message => problem is null || BlockIndex is null ? base.Message : Describe(problem, BytePosition, BlockIndex);

        /// <summary>Records which block of the export the problem is in (the reader itself knows nothing of blocks).</summary>
        internal void LocateInBlock(int blockIndex) => BlockIndex ??= blockIndex;

        /// <summary>The deepest nesting the readers accept (Utf8JsonReader's default): it bounds the recursion that reads unknown values.</summary>
        internal const int MaxJsonDepth = 64;

        /// <summary>
        /// The reader's error as a format problem: "nests deeper" when the reader stopped at the limit's depth in front of
        /// one more <c>[</c> or <c>{</c> (<paramref name="rest"/>: the bytes it had not read), else "malformed or truncated".
        /// </summary>
        /// <param name="e">The reader's error.</param>
        /// <param name="bytePosition">Where in the block the reader stopped.</param>
        /// <param name="depth">The reader's CurrentDepth there.</param>
        /// <param name="token">The reader's TokenType there: after a [ or { the depth is one more than CurrentDepth says.</param>
        /// <param name="rest">The bytes the reader had not read.</param>
        internal static ExportFormatException FromJson(JsonException e, long bytePosition, int depth, JsonTokenType token, ReadOnlySpan<byte> rest) =>
            new(token != JsonTokenType.StartObject && depth + (token == JsonTokenType.StartArray ? 1 : 0) >= MaxJsonDepth && OpensNext(rest)
                ? $"the JSON nests deeper than {MaxJsonDepth} levels, the most this module reads (a WeCom record nests a few levels; line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} of that line)."
                : $"malformed or truncated JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} of that line).", bytePosition, e);

        private static bool OpensNext(ReadOnlySpan<byte> rest)
        {
            int next = JsonWhiteSpace.Skip(rest, 0);
            return next < rest.Length && rest[next] is (byte)'[' or (byte)'{';
        }

        internal static ExportFormatException FromShape(RecordShapeException e, long bytePosition) =>
            e.KindMismatch ? new ExportKindMismatchException(e.Message, bytePosition, e.ExpectedKind) : new ExportFormatException(e.Message, bytePosition);

        private static string Describe(string problem, long bytePosition, int? blockIndex) =>
            (blockIndex is null ? "The export block's JSON" : $"The JSON of export block {blockIndex}")
            + $" is not as expected at byte {bytePosition} of its plaintext: {problem}";
    }
}

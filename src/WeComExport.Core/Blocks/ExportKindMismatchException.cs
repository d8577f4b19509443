using System;
using WeComExport.Export;

namespace WeComExport.Blocks
{
    /// <summary>
    /// A decrypted block holds another export kind's list (e.g. "department" where a member export's
    /// "userlist" belongs): the job is being read as the wrong kind, or the block mixes two kinds.
    /// </summary>
    public sealed class ExportKindMismatchException : ExportFormatException
    {
        public ExportKindMismatchException()
        {
        }

        public ExportKindMismatchException(string message)
            : base(message)
        {
        }

        public ExportKindMismatchException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        public ExportKindMismatchException(string problem, long bytePosition, ExportKind? expectedKind)
            : base(problem, bytePosition)
        {
            ExpectedKind = expectedKind;
        }

        /// <summary>The kind the block was read as; null when the kind was to be told from the block.</summary>
        public ExportKind? ExpectedKind { get; }
    }
}

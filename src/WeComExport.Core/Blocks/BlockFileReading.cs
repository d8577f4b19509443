using System;
using WeComExport.Records;

namespace WeComExport.Blocks
{
    /// <summary>
    /// Asks a block file's write to read the block's records in the same pass (a snapshot's manifest needs the
    /// file's size, SHA-256 and record count, and members.csv its extended-attribute names): the bytes are parsed
    /// as they are written, so no second pass reads the file back. Filled in by the write.
    /// </summary>
    internal sealed class BlockFileReading
    {
        public BlockFileReading(long? tagId, Action<WeComRecord>? onRecord)
        {
            TagId = tagId;
            OnRecord = onRecord;
        }

        /// <summary>The job's tag id for tag members (null: 0).</summary>
        public long? TagId { get; }

        /// <summary>Called with each record, in block order.</summary>
        public Action<WeComRecord>? OnRecord { get; }

        /// <summary>Bytes written to the file.</summary>
        public long Bytes { get; set; }

        /// <summary>The SHA-256 of the file's bytes, lower-case hex.</summary>
        public string Sha256Hex { get; set; } = string.Empty;

        /// <summary>Records in the block.</summary>
        public long Records { get; set; }
    }
}

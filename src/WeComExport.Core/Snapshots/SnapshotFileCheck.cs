using System;
using System.IO;
using System.Threading;
using WeComExport.Blocks;
using WeComExport.Export;
using WeComExport.Internal;
using WeComExport.Records;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// Reads a written block file back, once and streamed: its SHA-256 over every byte, and its records counted by
    /// the same reader that receives them, so a file that would not read back as its export's records fails here.
    /// </summary>
    internal static class SnapshotFileCheck
    {
        private const int BufferSize = 81920;

        /// <summary>
        /// The file's manifest entry, and the tag name its records carry (null for other kinds or no records); members'
        /// extended-attribute names go into <paramref name="extAttrColumns"/> when given (for members.csv).
        /// </summary>
        public static (SnapshotFile File, string? TagName) Measure(string path, ExportKind kind, long? tagId, ExtAttrColumns? extAttrColumns, CancellationToken ct)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
            using var hashing = new Sha256PassThrough(file);
            long records = 0;
            string? tagName = null;
            foreach (WeComRecord record in ExportRecordReader.Read(hashing, kind, tagId, ct))
            {
                records++;
                if (tagName is null && record is WeComTagMember member)
                {
                    tagName = member.TagName;
                }
                else if (extAttrColumns is not null && record is WeComUser user)
                {
                    extAttrColumns.Note(user);
                }
            }

            // The reader stops at the end of the JSON document; the hash covers the whole file.
            hashing.Drain();
            return (new SnapshotFile(Path.GetFileName(path), hashing.Count, hashing.Sha256Hex(), records), tagName);
        }
    }
}

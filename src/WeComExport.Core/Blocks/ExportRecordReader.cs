using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using WeComExport.Export;
using WeComExport.Records;

namespace WeComExport.Blocks
{
    /// <summary>Turns a block's decrypted JSON into typed records, one at a time, in bounded memory.</summary>
    public static class ExportRecordReader
    {
        /// <summary>
        /// Lazily yields the block's records as they are parsed: <see cref="WeComUser"/> for SimpleUser and
        /// User, <see cref="WeComDepartment"/> for Department, <see cref="WeComTagMember"/> for TagUser (one per
        /// userlist user, then one per partylist id, in block order). Memory is bounded by the largest single
        /// record. Throws <see cref="ExportFormatException"/> (naming the byte position) on malformed or
        /// truncated JSON and on a block without the list its kind requires (<see cref="ExportKindMismatchException"/>
        /// when it holds another kind's list), so a damaged or misread block never reads as a short one. The stream is read forward once,
        /// so enumerate the result once; it is not disposed here.
        /// </summary>
        /// <param name="plaintextJson">The decrypted block, e.g. from <see cref="BlockDecryption.OpenPlaintext(Stream, Crypto.EncodingAesKey)"/>.</param>
        /// <param name="kind">The export the block came from; it decides which list holds the records.</param>
        /// <param name="tagId">The job's tag id, copied onto each tag member; null (recorded as 0) when not known.</param>
        /// <param name="ct">Checked before each record.</param>
        public static IEnumerable<WeComRecord> Read(Stream plaintextJson, ExportKind kind, long? tagId, CancellationToken ct)
        {
            if (plaintextJson is null)
            {
                throw new ArgumentNullException(nameof(plaintextJson));
            }

            if (!Enum.IsDefined(typeof(ExportKind), kind))
            {
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an export kind.");
            }

            return ReadRecords(new ExportBlockParser(plaintextJson, kind, tagId), ct);
        }

        /// <summary>
        /// As <see cref="Read(Stream, ExportKind, long?, CancellationToken)"/>, with a tag's name known from elsewhere (a
        /// snapshot's manifest) for the tag members read before the block's own tagname, if any; the block's tagname wins.
        /// </summary>
        internal static IEnumerable<WeComRecord> Read(Stream plaintextJson, ExportKind kind, long? tagId, string? tagName, CancellationToken ct)
        {
            if (plaintextJson is null)
            {
                throw new ArgumentNullException(nameof(plaintextJson));
            }

            return ReadRecords(new ExportBlockParser(plaintextJson, kind, tagId, tagName: tagName), ct);
        }

        private static IEnumerable<WeComRecord> ReadRecords(ExportBlockParser parser, CancellationToken ct)
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                WeComRecord? record = parser.Next();
                if (record is null)
                {
                    yield break;
                }

                yield return record;
            }
        }
    }
}

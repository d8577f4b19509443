using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using WeComExport.Blocks;
using WeComExport.Export;
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

        /// <summary>The file's manifest entry, and the tag name its records carry (null for other kinds or no records).</summary>
        public static (SnapshotFile File, string? TagName) Measure(string path, ExportKind kind, long? tagId, CancellationToken ct)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
            using var hashing = new HashingReadStream(file);
            long records = 0;
            string? tagName = null;
            foreach (WeComRecord record in ExportRecordReader.Read(hashing, kind, tagId, ct))
            {
                records++;
                if (tagName is null && record is WeComTagMember member)
                {
                    tagName = member.TagName;
                }
            }

            // The reader stops at the end of the JSON document; the hash covers the whole file.
            hashing.ReadToEnd();
            return (new SnapshotFile(Path.GetFileName(path), hashing.BytesRead, hashing.Sha256Hex(), records), tagName);
        }

        /// <summary>A forward read-only stream that hashes what passes through it.</summary>
        private sealed class HashingReadStream : Stream
        {
            private readonly Stream inner;
            private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

            public HashingReadStream(Stream inner) => this.inner = inner;

            public long BytesRead { get; private set; }

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position
            {
                get => BytesRead;
                set => throw new NotSupportedException();
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int read = inner.Read(buffer, offset, count);
                if (read > 0)
                {
                    hash.AppendData(buffer, offset, read);
                    BytesRead += read;
                }

                return read;
            }

            public void ReadToEnd()
            {
                var buffer = new byte[BufferSize];
                while (Read(buffer, 0, buffer.Length) > 0)
                {
                }
            }

            /// <summary>The SHA-256 of everything read, lower-case hex.</summary>
            public string Sha256Hex() => BlockIntegrity.ToHex(hash.GetHashAndReset());

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    hash.Dispose();
                    inner.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }
}

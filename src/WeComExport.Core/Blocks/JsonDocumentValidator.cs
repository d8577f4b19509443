using System;
using System.Text.Json;
using WeComExport.Export;

namespace WeComExport.Blocks
{
    /// <summary>
    /// Checks, chunk by chunk, that bytes form exactly one complete JSON document holding the lists of
    /// an export block (<see cref="BlockShape"/>: of <c>kind</c>, or of any one kind when null), holding
    /// back only the bytes of a token cut by a chunk boundary (so memory grows to the largest token, not
    /// the document).
    /// </summary>
    internal sealed class JsonDocumentValidator
    {
        private readonly BlockShape shape;
        private byte[] pending = new byte[4096];
        private int pendingCount;
        private long consumed;
        private JsonReaderState state;

        // A root property name whose value has not been read yet (it may come in the next chunk).
        private RootName? rootProperty;

        public JsonDocumentValidator(ExportKind? kind)
        {
            shape = new BlockShape(kind);
        }

        public long TokenCount { get; private set; }

        public void Append(byte[] chunk, int offset, int count)
        {
            if (pendingCount == 0)
            {
                // The usual case: scan the caller's chunk in place, keeping only an unfinished token.
                Scan(new ReadOnlySpan<byte>(chunk, offset, count), isFinalBlock: false, out int used);
                Keep(chunk, offset + used, count - used);
                return;
            }

            Keep(chunk, offset, count);
            Scan(new ReadOnlySpan<byte>(pending, 0, pendingCount), isFinalBlock: false, out int consumedFromPending);
            pendingCount -= consumedFromPending;
            Buffer.BlockCopy(pending, consumedFromPending, pending, 0, pendingCount);
        }

        /// <summary>Throws <see cref="ExportFormatException"/> unless the bytes appended so far are one complete JSON document.</summary>
        public void Complete()
        {
            Scan(new ReadOnlySpan<byte>(pending, 0, pendingCount), isFinalBlock: true, out _);
            pendingCount = 0;
        }

        private void Scan(ReadOnlySpan<byte> data, bool isFinalBlock, out int used)
        {
            if (consumed == 0 && data.Length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
            {
                data = data.Slice(3);
                consumed += 3;
                used = 3;
            }
            else
            {
                used = 0;
            }

            var reader = new Utf8JsonReader(data, isFinalBlock, state);
            try
            {
                while (reader.Read())
                {
                    TokenCount++;
                    CheckShape(ref reader);
                }
            }
            catch (JsonException e)
            {
                throw ExportFormatException.FromJson(e, consumed + reader.BytesConsumed, reader.CurrentDepth, reader.TokenType, data.Slice((int)reader.BytesConsumed));
            }
            catch (RecordShapeException e)
            {
                throw ExportFormatException.FromShape(e, consumed + reader.TokenStartIndex);
            }

            used += (int)reader.BytesConsumed;
            consumed += reader.BytesConsumed;
            state = reader.CurrentState;
        }

        private void CheckShape(ref Utf8JsonReader reader)
        {
            if (rootProperty is RootName name)
            {
                shape.Note(name, reader.TokenType);
                rootProperty = null;
            }
            else if (reader.CurrentDepth == 0)
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    shape.Complete();
                }
                else
                {
                    BlockShape.CheckRoot(reader.TokenType);
                }
            }
            else if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
            {
                rootProperty = BlockShape.Classify(ref reader);
            }
        }

        private void Keep(byte[] chunk, int offset, int count)
        {
            if (pendingCount + count > pending.Length)
            {
                Array.Resize(ref pending, Math.Max(pending.Length * 2, pendingCount + count));
            }

            Buffer.BlockCopy(chunk, offset, pending, pendingCount, count);
            pendingCount += count;
        }
    }
}

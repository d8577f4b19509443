using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Emulator.Directory;
using WeComExport.Export;

namespace WeComExport.Emulator.Jobs
{
    /// <summary>
    /// Writes one block's JSON document to a stream. Records are rendered in chunks on the thread
    /// pool (every core helps, even for a single 10^6-member block) and written strictly in order;
    /// at most a few chunks of a few MB are in memory at once.
    /// </summary>
    internal static class BlockRenderer
    {
        private const int ChunkItems = 2000;

        public static void Write(ExportContent content, Stream output, int start, int count, CancellationToken ct)
        {
            int inFlight = Math.Max(2, Environment.ProcessorCount * 2);
            WriteAscii(output, "{");
            bool firstProperty = true;
            if (content.Kind == ExportKind.TagUser)
            {
                WriteAscii(output, "\"tagname\":\"");
                output.Write(JsonEncodedText.Encode(content.Tag!.Name, RecordWriter.WriterOptions.Encoder).EncodedUtf8Bytes);
                WriteAscii(output, "\"");
                firstProperty = false;
            }

            foreach ((string name, int from, int to) in content.Sections(start, count))
            {
                WriteAscii(output, (firstProperty ? "\"" : ",\"") + name + "\":[");
                firstProperty = false;
                var pending = new Queue<Task<ArrayBufferWriter<byte>>>();
                int next = from;
                bool firstChunk = true;
                while (next < to || pending.Count > 0)
                {
                    while (pending.Count < inFlight && next < to)
                    {
                        int chunkStart = next;
                        int chunkEnd = Math.Min(to, next + ChunkItems);
                        next = chunkEnd;
                        pending.Enqueue(Task.Run(() => RenderChunk(content, chunkStart, chunkEnd), ct));
                    }

                    ArrayBufferWriter<byte> chunk = pending.Dequeue().GetAwaiter().GetResult();
                    ReadOnlySpan<byte> items = chunk.WrittenSpan[1..^1];
                    if (!firstChunk && items.Length > 0)
                    {
                        WriteAscii(output, ",");
                    }

                    output.Write(items);
                    firstChunk = false;
                }

                WriteAscii(output, "]");
            }

            WriteAscii(output, "}");
        }

        /// <summary>Renders items [from, to) as a JSON array; the caller strips the brackets.</summary>
        private static ArrayBufferWriter<byte> RenderChunk(ExportContent content, int from, int to)
        {
            var buffer = new ArrayBufferWriter<byte>(256 * 1024);
            using (var w = new Utf8JsonWriter(buffer, RecordWriter.WriterOptions))
            {
                w.WriteStartArray();
                for (int item = from; item < to; item++)
                {
                    content.WriteRecord(w, item);
                }

                w.WriteEndArray();
            }

            return buffer;
        }

        private static void WriteAscii(Stream output, string text)
        {
            Span<byte> bytes = stackalloc byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[i] = (byte)text[i];
            }

            output.Write(bytes);
        }
    }
}

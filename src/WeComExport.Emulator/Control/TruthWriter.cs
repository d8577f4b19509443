using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WeComExport.Emulator.Directory;
using WeComExport.Emulator.Jobs;

namespace WeComExport.Emulator.Control
{
    /// <summary>
    /// Ground truth for one export: the record count, SHA-256 of the ordinally sorted ids joined
    /// with "\n", and on request the ids and full records, streamed (a 10^6-member answer is large).
    /// </summary>
    internal static class TruthWriter
    {
        public static string[] SortedIds(ExportContent content)
        {
            var ids = new string[content.Count];
            for (int i = 0; i < ids.Length; i++)
            {
                ids[i] = content.IdOf(i);
            }

            Array.Sort(ids, StringComparer.Ordinal);
            return ids;
        }

        public static string Digest(string[] sortedIds)
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] newline = { (byte)'\n' };
            for (int i = 0; i < sortedIds.Length; i++)
            {
                if (i > 0)
                {
                    sha.AppendData(newline);
                }

                sha.AppendData(Encoding.UTF8.GetBytes(sortedIds[i]));
            }

            return Convert.ToHexStringLower(sha.GetHashAndReset());
        }

        public static async Task WriteAsync(HttpContext ctx, ExportContent content, bool full)
        {
            string[] ids = SortedIds(content);
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json; charset=UTF-8";
            var w = new Utf8JsonWriter(ctx.Response.BodyWriter, RecordWriter.WriterOptions);
            await using (w)
            {
                w.WriteStartObject();
                w.WriteNumber("count", content.Count);
                w.WriteString("idsSha256", Digest(ids));
                if (full)
                {
                    w.WriteStartArray("ids");
                    for (int i = 0; i < ids.Length; i++)
                    {
                        w.WriteStringValue(ids[i]);
                        await FlushSometimesAsync(ctx, w);
                    }

                    w.WriteEndArray();
                    w.WriteStartArray("records");
                    for (int i = 0; i < content.Count; i++)
                    {
                        content.WriteRecord(w, i);
                        await FlushSometimesAsync(ctx, w);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
                await w.FlushAsync(ctx.RequestAborted);
            }
        }

        private static async ValueTask FlushSometimesAsync(HttpContext ctx, Utf8JsonWriter w)
        {
            if (w.BytesPending > 32 * 1024)
            {
                await w.FlushAsync(ctx.RequestAborted);
            }
        }
    }
}

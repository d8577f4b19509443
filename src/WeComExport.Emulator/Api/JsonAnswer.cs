using System;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WeComExport.Emulator.Directory;

namespace WeComExport.Emulator.Api
{
    /// <summary>Writes a small JSON object answer (UTF-8, raw Chinese as WeCom sends it).</summary>
    internal static class JsonAnswer
    {
        public static async Task WriteAsync(HttpContext ctx, int status, Action<Utf8JsonWriter> body, CancellationToken ct = default)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = RecordWriter.WriterOptions.Encoder }))
            {
                w.WriteStartObject();
                body(w);
                w.WriteEndObject();
            }

            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/json; charset=UTF-8";
            ctx.Response.ContentLength = buffer.Length;
            await ctx.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct);
        }

        public static Task ErrorAsync(HttpContext ctx, int status, string message) =>
            WriteAsync(ctx, status, w => w.WriteString("error", message));
    }
}

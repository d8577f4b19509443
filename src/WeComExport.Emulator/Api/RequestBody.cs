using System;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace WeComExport.Emulator.Api
{
    /// <summary>Reads a /cgi-bin POST body as a JSON object, at most 64 KB; says what is wrong otherwise (never echoing the body).</summary>
    internal static class RequestBody
    {
        public const int MaxBytes = 64 * 1024;

        /// <summary>
        /// Kestrel's own limit: a body between <see cref="MaxBytes"/> and this is read to its end and
        /// dropped, so the client gets its 40058 instead of a connection reset while still sending.
        /// </summary>
        public const int DrainBytes = 4 * 1024 * 1024;

        public static async Task<(JsonDocument? Json, string? Problem)> ReadObjectAsync(HttpContext ctx)
        {
            using var buffer = new MemoryStream();
            byte[] chunk = new byte[8192];
            try
            {
                int n;
                while ((n = await ctx.Request.Body.ReadAsync(chunk, ctx.RequestAborted)) > 0)
                {
                    buffer.Write(chunk, 0, n);
                    if (buffer.Length > MaxBytes)
                    {
                        while (await ctx.Request.Body.ReadAsync(chunk, ctx.RequestAborted) > 0)
                        {
                            // Drained and dropped.
                        }

                        return (null, $"request body larger than {MaxBytes} bytes");
                    }
                }
            }
            catch (BadHttpRequestException)
            {
                return (null, $"request body larger than {MaxBytes} bytes or malformed");
            }

            if (buffer.Length == 0)
            {
                return (null, "empty request body; a JSON object is required");
            }

            JsonDocument json;
            try
            {
                json = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), new JsonDocumentOptions { MaxDepth = 32 });
            }
            catch (JsonException)
            {
                return (null, "request body is not valid JSON");
            }

            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                json.Dispose();
                return (null, "request body must be a JSON object");
            }

            return (json, null);
        }
    }
}

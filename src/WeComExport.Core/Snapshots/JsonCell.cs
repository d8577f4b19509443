using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using WeComExport.Records;

namespace WeComExport.Snapshots
{
    /// <summary>A JSON object (ExternalProfile, AdditionalFields) as compact JSON text, Chinese kept readable, through one reused buffer.</summary>
    internal sealed class JsonCell : IDisposable
    {
        private readonly MemoryStream buffer = new();
        private readonly Utf8JsonWriter writer;

        public JsonCell()
        {
            writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }

        public string Of(IReadOnlyDictionary<string, object?> fields)
        {
            buffer.SetLength(0);
            writer.Reset(buffer);
            JsonValues.Write(writer, fields);
            writer.Flush();
            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        public void Dispose()
        {
            writer.Dispose();
            buffer.Dispose();
        }
    }
}

using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace WeComExport.Records
{
    /// <summary>
    /// A JSON object kept as plain .NET values (an unknown field, external_profile, ...). Read it as a
    /// dictionary ($user.ExternalProfile.external_corp_name); ToString gives compact JSON so a table or
    /// CSV cell shows its content rather than a type name.
    /// </summary>
    public sealed class WeComJsonObject : ReadOnlyDictionary<string, object?>
    {
        internal WeComJsonObject(IDictionary<string, object?> fields)
            : base(fields)
        {
        }

        /// <summary>
        /// An object read from its UTF-8 JSON text (checked already, <see cref="KeptJsonText.TrySkip"/>) the first time one
        /// of its fields is read; <paramref name="writesAsIs"/> as the check found.
        /// </summary>
        internal static WeComJsonObject FromCheckedUtf8(byte[] json, bool writesAsIs) => new(new DeferredJsonFields(json, writesAsIs));

        public override string ToString()
        {
            using var buffer = new MemoryStream();
            // Relaxed escaping keeps Chinese text readable in a table cell; this is display text, not HTML.
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                JsonValues.Write(writer, this);
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        /// <summary>Whether the object is still only its text (no field read yet).</summary>
        internal bool IsKeptText => Dictionary is DeferredJsonFields { HasValues: false };

        /// <summary>Writes the object from its kept text (no values built); false when it has values only, to be written instead.</summary>
        internal bool TryWriteKeptText(Utf8JsonWriter writer) => Dictionary is DeferredJsonFields kept && kept.TryWrite(writer);
    }
}

using System;
using System.IO;
using System.Text.Json;

namespace WeComExport.Bench
{
    /// <summary>A bare Utf8JsonReader pass over a stream: tokenises every byte and counts the objects of the root's lists (depth 2), building nothing.</summary>
    internal static class JsonListScan
    {
        public static long CountListObjects(Stream plaintext)
        {
            var buffer = new byte[1 << 17];
            int kept = 0;
            var state = default(JsonReaderState);
            long objects = 0;
            while (true)
            {
                if (kept == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2); // one token larger than the window
                }

                int read = plaintext.Read(buffer, kept, buffer.Length - kept);
                int available = kept + read;
                var reader = new Utf8JsonReader(buffer.AsSpan(0, available), read == 0, state);
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.StartObject && reader.CurrentDepth == 2)
                    {
                        objects++;
                    }
                }

                if (read == 0)
                {
                    return objects;
                }

                state = reader.CurrentState;
                kept = available - (int)reader.BytesConsumed;
                Buffer.BlockCopy(buffer, (int)reader.BytesConsumed, buffer, 0, kept);
            }
        }
    }
}

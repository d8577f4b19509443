using System;
using System.Collections.Generic;
using System.Text.Json;

namespace WeComExport.Records
{
    /// <summary>
    /// An object kept as its JSON text instead of its values (<see cref="DeferredJsonFields"/>): checked once while the
    /// block is read, so that reading its values later cannot fail, and written back as its values would be written,
    /// without building them. One checker per parser: it reuses its buffers from record to record.
    /// </summary>
    internal sealed class KeptJsonText
    {
        // A profile has a handful of names; a hostile object with a million costs one dictionary read, not a million squared compares.
        private const int MaxComparedNames = 32;

        private readonly List<ulong> keyHashes = new();
        private readonly List<int> objectStarts = new();
        private char[] chars = new char[256];

        /// <summary>
        /// Moves past the object whose StartObject the reader is on, as <see cref="Utf8JsonReader.TrySkip"/> does, checking
        /// every string and name the way reading them as values would (UTF-8, escapes; throws as that would). False when
        /// the window ends inside the object. <paramref name="writesAsIs"/>: no object in it repeats a name or escapes one,
        /// so <see cref="Write"/> gives exactly what writing its values gives (values keep one of two equal names).
        /// </summary>
        public bool TrySkip(ref Utf8JsonReader reader, out bool writesAsIs)
        {
            keyHashes.Clear();
            objectStarts.Clear();
            writesAsIs = true;
            int depth = reader.CurrentDepth;
            objectStarts.Add(0);
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        objectStarts.Add(keyHashes.Count);
                        break;
                    case JsonTokenType.PropertyName:
                        CheckText(ref reader);
                        writesAsIs = writesAsIs && NoteName(ref reader);
                        break;
                    case JsonTokenType.String:
                        CheckText(ref reader);
                        break;
                    case JsonTokenType.EndObject:
                        if (reader.CurrentDepth == depth)
                        {
                            return true;
                        }

                        int start = objectStarts[objectStarts.Count - 1];
                        objectStarts.RemoveAt(objectStarts.Count - 1);
                        keyHashes.RemoveRange(start, keyHashes.Count - start);
                        break;
                }
            }

            return false;
        }

        /// <summary>
        /// Writes checked JSON text token by token as <see cref="JsonValues.Write"/> writes the values read from it: names
        /// and strings unescaped and re-escaped by the writer, numbers as long, else double, else their literal as a string.
        /// </summary>
        public static void Write(Utf8JsonWriter writer, byte[] json)
        {
            var reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
            char[]? unescaped = null;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        writer.WriteStartObject();
                        break;
                    case JsonTokenType.EndObject:
                        writer.WriteEndObject();
                        break;
                    case JsonTokenType.StartArray:
                        writer.WriteStartArray();
                        break;
                    case JsonTokenType.EndArray:
                        writer.WriteEndArray();
                        break;
                    case JsonTokenType.PropertyName:
                    case JsonTokenType.String:
                        WriteText(writer, ref reader, ref unescaped);
                        break;
                    case JsonTokenType.Number:
                        switch (JsonValues.NumberOf(ref reader, out long whole, out double real))
                        {
                            case JsonValues.NumberForm.Whole:
                                writer.WriteNumberValue(whole);
                                break;
                            case JsonValues.NumberForm.Real:
                                writer.WriteNumberValue(real);
                                break;
                            case JsonValues.NumberForm.BeyondLong:
                                // A valid JSON whole number is already in the form its value writes (no leading zeros, no '+').
                                writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                                break;
                            default:
                                writer.WriteStringValue(reader.ValueSpan);
                                break;
                        }

                        break;
                    case JsonTokenType.True:
                        writer.WriteBooleanValue(true);
                        break;
                    case JsonTokenType.False:
                        writer.WriteBooleanValue(false);
                        break;
                    case JsonTokenType.Null:
                        writer.WriteNullValue();
                        break;
                }
            }
        }

        private static void WriteText(Utf8JsonWriter writer, ref Utf8JsonReader reader, ref char[]? unescaped)
        {
            bool isName = reader.TokenType == JsonTokenType.PropertyName;
            if (reader.ValueIsEscaped)
            {
                ReadOnlySpan<char> text = Unescape(ref reader, ref unescaped);
                if (isName)
                {
                    writer.WritePropertyName(text);
                }
                else
                {
                    writer.WriteStringValue(text);
                }
            }
            else if (isName)
            {
                writer.WritePropertyName(reader.ValueSpan);
            }
            else
            {
                writer.WriteStringValue(reader.ValueSpan);
            }
        }

        private static ReadOnlySpan<char> Unescape(ref Utf8JsonReader reader, ref char[]? buffer)
        {
            if (buffer is null || buffer.Length < reader.ValueSpan.Length)
            {
                buffer = new char[Math.Max(reader.ValueSpan.Length, 64)];
            }

            return new ReadOnlySpan<char>(buffer, 0, reader.CopyString(buffer));
        }

        /// <summary>
        /// Notes a name of the innermost object; false when it may repeat one before it, or is escaped (not compared), or
        /// the object has more than <see cref="MaxComparedNames"/> names (each name is compared with those before it).
        /// </summary>
        private bool NoteName(ref Utf8JsonReader reader)
        {
            int objectStart = objectStarts[objectStarts.Count - 1];
            if (reader.ValueIsEscaped || keyHashes.Count - objectStart >= MaxComparedNames)
            {
                return false;
            }

            // FNV-1a: a collision only sends the object down the slower exact path.
            ulong hash = 14695981039346656037;
            foreach (byte b in reader.ValueSpan)
            {
                hash = (hash ^ b) * 1099511628211;
            }

            for (int i = objectStart; i < keyHashes.Count; i++)
            {
                if (keyHashes[i] == hash)
                {
                    return false;
                }
            }

            keyHashes.Add(hash);
            return true;
        }

        private void CheckText(ref Utf8JsonReader reader)
        {
            ReadOnlySpan<byte> text = reader.ValueSpan;
            if (!reader.ValueIsEscaped)
            {
                int i = 0;
                while (i < text.Length && text[i] < 0x80)
                {
                    i++;
                }

                if (i == text.Length)
                {
                    return; // ASCII without escapes reads as itself
                }
            }

            // Unescaped text is never longer in UTF-16 code units than its UTF-8 (or escaped) bytes.
            if (chars.Length < text.Length)
            {
                chars = new char[Math.Max(text.Length, chars.Length * 2)];
            }

            reader.CopyString(chars);
        }
    }
}

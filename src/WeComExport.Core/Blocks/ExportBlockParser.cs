using System;
using System.IO;
using System.Text;
using System.Text.Json;
using WeComExport.Export;
using WeComExport.Records;

namespace WeComExport.Blocks
{
    /// <summary>
    /// Walks a block's JSON ({"userlist":[...]}, {"department":[...]}, {"tagname":..,"userlist":[..],"partylist":[..]})
    /// and returns its records one at a time. It commits after each complete unit (a root property, a
    /// record, a token of a skipped value), so a refill only ever re-reads the unit it stopped in.
    /// </summary>
    internal sealed class ExportBlockParser
    {
        private readonly JsonChunkBuffer chunk;
        private readonly ExportKind kind;
        private readonly RecordParser<WeComUser>? users;
        private readonly RecordParser<WeComDepartment>? departments;
        private readonly TagMemberParser? tagMembers;
        private readonly BlockShape shape;
        private Phase phase = Phase.BeforeRoot;
        private ListKind list;
        private int skipDepth;
        private string? tagName;

        /// <summary>A parser of one block; <paramref name="tagName"/> is a tag block's name until the block's own tagname is met (from a snapshot's manifest), null when not known.</summary>
        public ExportBlockParser(Stream plaintextJson, ExportKind kind, long? tagId, int bufferSize = JsonChunkBuffer.DefaultSize, string? tagName = null)
        {
            chunk = new JsonChunkBuffer(plaintextJson, bufferSize);
            this.kind = kind;
            this.tagName = tagName;
            shape = new BlockShape(kind);
            switch (kind)
            {
                case ExportKind.SimpleUser:
                case ExportKind.User:
                    users = new RecordParser<WeComUser>(RecordTables.User, () => new WeComUser(), new FieldScratch(chunk));
                    break;
                case ExportKind.Department:
                    departments = new RecordParser<WeComDepartment>(RecordTables.Department, () => new WeComDepartment(), new FieldScratch(chunk));
                    break;
                default:
                    tagMembers = new TagMemberParser(tagId ?? 0, chunk);
                    break;
            }
        }

        private enum Phase
        {
            BeforeRoot,
            InRoot,
            SkippingValue,
            InList,
            AfterRoot,
            Finished,
        }

        private enum ListKind
        {
            None,
            Users,
            Departments,
            TagUsers,
            TagParties,
        }

        private enum Outcome
        {
            Record,
            NeedMore,
            Finished,
        }

        /// <summary>The read window's size: it grows only to hold the largest single record.</summary>
        public int BufferCapacity => chunk.Capacity;

        /// <summary>The next record, or null at the end of the block. Throws <see cref="ExportFormatException"/> on malformed JSON.</summary>
        public WeComRecord? Next()
        {
            while (true)
            {
                Utf8JsonReader reader = chunk.CreateReader();
                Outcome outcome;
                WeComRecord? record;
                try
                {
                    outcome = Step(ref reader, out record);
                }
                catch (JsonException e)
                {
                    throw ExportFormatException.FromJson(e, chunk.PositionOf(reader.BytesConsumed), reader.CurrentDepth, reader.TokenType, chunk.RestOf(reader.BytesConsumed));
                }
                catch (RecordShapeException e)
                {
                    throw ExportFormatException.FromShape(e, chunk.PositionOf(reader.TokenStartIndex));
                }
                catch (InvalidOperationException e) when (e.InnerException is DecoderFallbackException || IsUnreadableText(reader))
                {
                    throw new ExportFormatException("a string is not valid UTF-8 or has an unpaired \\u surrogate escape.", chunk.PositionOf(reader.TokenStartIndex), e);
                }

                if (outcome != Outcome.NeedMore)
                {
                    return record;
                }

                if (!chunk.Refill())
                {
                    // A final-block reader throws on incomplete JSON, so this is a safety net, not a path.
                    throw new ExportFormatException("the JSON ends before the document is complete.", chunk.PositionOf(reader.BytesConsumed));
                }
            }
        }

        /// <summary>
        /// System.Text.Json refuses a string it cannot turn into .NET text (an unpaired "\ud800" escape) with a plain
        /// InvalidOperationException. It is the block's fault when the token the reader stopped on is such a string: read
        /// it again here (a copy of the reader) to know, rather than trusting the exception's text or source.
        /// </summary>
        private static bool IsUnreadableText(Utf8JsonReader reader)
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
            {
                return false;
            }

            try
            {
                reader.GetString();
                return false;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }

        private Outcome Step(ref Utf8JsonReader reader, out WeComRecord? record)
        {
            record = null;
            while (true)
            {
                switch (phase)
                {
                    case Phase.BeforeRoot:
                        if (!reader.Read())
                        {
                            return Outcome.NeedMore;
                        }

                        BlockShape.CheckRoot(reader.TokenType);
                        Commit(ref reader, Phase.InRoot);
                        break;

                    case Phase.InRoot:
                        if (!StepInRoot(ref reader))
                        {
                            return Outcome.NeedMore;
                        }

                        break;

                    case Phase.SkippingValue:
                        if (!reader.Read())
                        {
                            return Outcome.NeedMore;
                        }

                        bool closed = reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray && reader.CurrentDepth == skipDepth;
                        Commit(ref reader, closed ? Phase.InRoot : Phase.SkippingValue);
                        break;

                    case Phase.InList:
                        if (!reader.Read())
                        {
                            return Outcome.NeedMore;
                        }

                        if (reader.TokenType == JsonTokenType.EndArray)
                        {
                            Commit(ref reader, Phase.InRoot);
                            break;
                        }

                        if (!TryReadListItem(ref reader, out record))
                        {
                            return Outcome.NeedMore;
                        }

                        Commit(ref reader, Phase.InList);
                        return Outcome.Record;

                    case Phase.AfterRoot:
                        // Reading on checks that only whitespace follows the root object (the reader throws otherwise).
                        if (reader.Read())
                        {
                            throw new RecordShapeException("more JSON follows the block's root object.");
                        }

                        if (!reader.IsFinalBlock)
                        {
                            Commit(ref reader, Phase.AfterRoot);
                            return Outcome.NeedMore;
                        }

                        phase = Phase.Finished;
                        return Outcome.Finished;

                    default:
                        return Outcome.Finished;
                }
            }
        }

        /// <summary>One root property (name and value, or the start of a list), or the root's end.</summary>
        private bool StepInRoot(ref Utf8JsonReader reader)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                shape.Complete();
                Commit(ref reader, Phase.AfterRoot);
                return true;
            }

            RootName name = BlockShape.Classify(ref reader);
            if (!reader.Read())
            {
                return false;
            }

            // Throws unless the property belongs to this kind's block and has the right type.
            shape.Note(name, reader.TokenType);
            if (name == RootName.TagName)
            {
                JsonFields.TryGetText(ref reader, out tagName);
                Commit(ref reader, Phase.InRoot);
                return true;
            }

            if (name != RootName.Other)
            {
                list = ListOf(name);
                Commit(ref reader, Phase.InList);
                return true;
            }

            // An unknown root property: skipped, token by token if it is too big for the window.
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
            {
                skipDepth = reader.CurrentDepth;
                Commit(ref reader, Phase.SkippingValue);
                return true;
            }

            Commit(ref reader, Phase.InRoot);
            return true;
        }

        private ListKind ListOf(RootName name) => name switch
        {
            RootName.Department => ListKind.Departments,
            RootName.PartyList => ListKind.TagParties,
            _ => kind == ExportKind.TagUser ? ListKind.TagUsers : ListKind.Users,
        };

        private bool TryReadListItem(ref Utf8JsonReader reader, out WeComRecord? record)
        {
            record = null;
            if (list == ListKind.TagParties)
            {
                record = tagMembers!.ParseDepartment(ref reader, tagName)
                    ?? throw new RecordShapeException($"a partylist item is a JSON {reader.TokenType}, not a department id.");
                return true;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new RecordShapeException($"an item of the block's list ({list}) is a JSON {reader.TokenType}, not an object.");
            }

            bool complete;
            switch (list)
            {
                case ListKind.Users:
                    complete = users!.TryParse(ref reader, out WeComUser? user);
                    record = user;
                    break;
                case ListKind.Departments:
                    complete = departments!.TryParse(ref reader, out WeComDepartment? department);
                    record = department;
                    break;
                default:
                    complete = tagMembers!.TryParseUser(ref reader, tagName, out WeComTagMember? member);
                    record = member;
                    break;
            }

            return complete;
        }

        private void Commit(ref Utf8JsonReader reader, Phase next)
        {
            chunk.Commit(ref reader);
            phase = next;
        }
    }
}

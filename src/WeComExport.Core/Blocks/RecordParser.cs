using System;
using System.Collections.Generic;
using System.Text.Json;
using WeComExport.Records;

namespace WeComExport.Blocks
{
    /// <summary>
    /// Builds one record from a list item with its type's field table (<see cref="RecordTables"/>): known names are
    /// found without allocating (<see cref="FieldNameTable"/>) and read straight into the record; unknown names,
    /// and known ones with a value of another type, are kept in <see cref="WeComRecord.AdditionalFields"/>.
    /// </summary>
    internal sealed class RecordParser<TRecord>
        where TRecord : WeComRecord
    {
        private readonly IReadOnlyList<JsonField<TRecord>> fields;
        private readonly Func<TRecord> create;
        private readonly FieldNameTable names;
        private readonly AdditionalFieldsBuilder additional = new();
        private readonly FieldScratch scratch;

        public RecordParser(IReadOnlyList<JsonField<TRecord>> fields, Func<TRecord> create, FieldScratch scratch)
        {
            this.fields = fields;
            this.create = create;
            this.scratch = scratch;
            var jsonNames = new string?[fields.Count + 1];
            for (int i = 0; i < fields.Count; i++)
            {
                jsonNames[i + 1] = fields[i].JsonName;
            }

            names = new FieldNameTable(jsonNames);
        }

        /// <summary>
        /// Reads the object whose StartObject the reader is on, up to its EndObject. False when the window ends
        /// first: the caller refills and calls again from the same item (the half-read record is dropped).
        /// </summary>
        public bool TryParse(ref Utf8JsonReader reader, out TRecord? record)
        {
            record = null;
            additional.Clear();
            TRecord draft = create();
            while (true)
            {
                FieldStep step = names.Next(ref reader, out int field, out string? unknownName);
                if (step == FieldStep.NeedMore)
                {
                    return false;
                }

                if (step == FieldStep.End)
                {
                    break;
                }

                FieldRead read = field == 0 ? FieldRead.Mismatch : fields[field - 1].Read(ref reader, draft, scratch);
                if (read == FieldRead.NeedMore)
                {
                    return false;
                }

                if (read == FieldRead.Mismatch && !additional.TryKeep(ref reader, unknownName ?? fields[field - 1].JsonName))
                {
                    return false;
                }
            }

            if (additional.Take() is { } kept)
            {
                draft.AdditionalFields = kept;
            }

            record = draft;
            return true;
        }
    }
}

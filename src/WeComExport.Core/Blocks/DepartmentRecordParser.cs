using System.Collections.Generic;
using System.Text.Json;
using WeComExport.Records;

namespace WeComExport.Blocks
{
    /// <summary>Builds a <see cref="WeComDepartment"/> from one item of a department block.</summary>
    internal sealed class DepartmentRecordParser
    {
        private const int Id = 1;
        private const int Name = 2;
        private const int NameEn = 3;
        private const int ParentId = 4;
        private const int Order = 5;
        private const int DepartmentLeader = 6;

        private static readonly string?[] JsonNames = { null, "id", "name", "name_en", "parentid", "order", "department_leader" };

        private readonly FieldNameTable names = new(JsonNames);
        private readonly AdditionalFieldsBuilder additional = new();
        private readonly List<string> texts = new();

        /// <summary>Reads the object whose StartObject the reader is on; false when the window ends first.</summary>
        public bool TryParse(ref Utf8JsonReader reader, out WeComDepartment? department)
        {
            department = null;
            additional.Clear();
            long? id = null, parentId = null, order = null;
            string? name = null, nameEn = null;
            WeComList<string> leaders = WeComList<string>.Empty;
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

                bool typed;
                FieldRead read = FieldRead.Done;
                switch (field)
                {
                    case Id: typed = JsonFields.TryGetInt64(ref reader, out id); break;
                    case Name: typed = JsonFields.TryGetText(ref reader, out name); break;
                    case NameEn: typed = JsonFields.TryGetText(ref reader, out nameEn); break;
                    case ParentId: typed = JsonFields.TryGetInt64(ref reader, out parentId); break;
                    case Order: typed = JsonFields.TryGetInt64(ref reader, out order); break;
                    case DepartmentLeader: read = JsonFields.TryReadStringList(ref reader, texts, out leaders); typed = read != FieldRead.Mismatch; break;
                    default: typed = false; break;
                }

                if (read == FieldRead.NeedMore)
                {
                    return false;
                }

                if (!typed && !additional.TryKeep(ref reader, unknownName ?? JsonNames[field]!))
                {
                    return false;
                }
            }

            department = new WeComDepartment(additional.Take())
            {
                Id = id ?? 0,
                Name = name,
                NameEn = nameEn,
                ParentId = parentId,
                Order = order,
                DepartmentLeader = leaders,
            };
            return true;
        }
    }
}

using System;
using System.Collections.Generic;
using WeComExport.Api;
using WeComExport.Records;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// members.csv's extended-attribute columns: each attribute name in order of first appearance, at most
    /// <see cref="SnapshotCsv.MaxExtAttrColumns"/>; one more is <see cref="WeComErrors.CsvTooManyColumns"/>.
    /// </summary>
    internal sealed class ExtAttrColumns
    {
        private readonly Dictionary<string, int> columns = new(StringComparer.Ordinal);

        /// <summary>Column index by attribute name.</summary>
        public IReadOnlyDictionary<string, int> ByName => columns;

        public int Count => columns.Count;

        /// <summary>The name's column, a new one at the end when the name is new.</summary>
        public int ColumnOf(string name)
        {
            if (columns.TryGetValue(name, out int column))
            {
                return column;
            }

            if (columns.Count == SnapshotCsv.MaxExtAttrColumns)
            {
                throw new WeComException(
                    WeComErrors.CsvTooManyColumns,
                    $"The member export holds more than {SnapshotCsv.MaxExtAttrColumns} distinct extended-attribute names; {SnapshotCsv.MembersFileName} gives each its own column and takes at most {SnapshotCsv.MaxExtAttrColumns}.");
            }

            column = columns.Count;
            columns.Add(name, column);
            return column;
        }

        /// <summary>Gives each of the member's attribute names its column.</summary>
        public void Note(WeComUser user)
        {
            if (user.ExtAttr is null)
            {
                return;
            }

            foreach (WeComExtAttrItem attr in user.ExtAttr.Attrs)
            {
                ColumnOf(attr.Name ?? string.Empty);
            }
        }
    }
}

using System;
using System.Collections.Generic;
using WeComExport.Api;
using WeComExport.Records;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// members.csv's extended-attribute columns: each attribute name in order of first appearance, at most
    /// <see cref="SnapshotCsv.MaxExtAttrColumns"/>. Collected while the snapshot reads its member blocks back
    /// anyway, so the CSV writer needs no pass of its own to find them.
    /// </summary>
    internal sealed class ExtAttrColumns
    {
        private readonly Dictionary<string, int> columns = new(StringComparer.Ordinal);
        private bool tooMany;

        /// <summary>Column index by attribute name.</summary>
        public Dictionary<string, int> ByName => columns;

        public void Note(WeComUser user)
        {
            if (user.ExtAttr is null)
            {
                return;
            }

            foreach (WeComExtAttrItem attr in user.ExtAttr.Attrs)
            {
                string name = attr.Name ?? string.Empty;
                if (columns.ContainsKey(name))
                {
                    continue;
                }

                if (columns.Count == SnapshotCsv.MaxExtAttrColumns)
                {
                    // Remembered, not thrown: only the CSV needs the columns, and it refuses the export then.
                    tooMany = true;
                    continue;
                }

                columns.Add(name, columns.Count);
            }
        }

        public void ThrowIfTooMany()
        {
            if (tooMany)
            {
                throw new WeComException(
                    WeComErrors.CsvTooManyColumns,
                    $"The member export holds more than {SnapshotCsv.MaxExtAttrColumns} distinct extended-attribute names; {SnapshotCsv.MembersFileName} gives each its own column and takes at most {SnapshotCsv.MaxExtAttrColumns}.");
            }
        }
    }
}

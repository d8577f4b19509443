using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// Placeholder for the Excel-ready CSV writer, which is written separately and replaces this file: it reads
    /// the block files of <c>exports</c> from <c>folder</c> and writes members.csv, departments.csv and
    /// tag-members.csv there, returning their entries (Records = rows).
    /// </summary>
    internal static class SnapshotCsv
    {
        public static Task<IReadOnlyList<SnapshotFile>> WriteAsync(string folder, IReadOnlyList<SnapshotExport> exports, CancellationToken ct) =>
            throw new NotImplementedException("Writing a snapshot's CSV files is not available in this build.");
    }
}

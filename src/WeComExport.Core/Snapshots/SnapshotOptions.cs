using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace WeComExport.Snapshots
{
    /// <summary>What a snapshot exports and how it runs (<see cref="SnapshotWriter.WriteAsync"/>).</summary>
    public sealed class SnapshotOptions
    {
        /// <summary>Member details (export/user) instead of the simple member list (export/simple_user).</summary>
        public bool Detailed { get; set; }

        /// <summary>The tags whose members to export, one export each (duplicates are exported once).</summary>
        public IReadOnlyList<long>? TagIds { get; set; }

        /// <summary>Every tag the app can read (tag/list), one export each; overrides <see cref="TagIds"/>.</summary>
        public bool AllTags { get; set; }

        /// <summary>How long to wait for WeCom to finish the exports, from when they are started; null waits for ever.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>The first interval between get_result checks (later ones grow up to ten times it).</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>Records per block (WeCom's default when null).</summary>
        public int? BlockSize { get; set; }

        /// <summary>What the folder holds: the block files (Json), the CSV files (Csv), or both.</summary>
        public SnapshotFormat Formats { get; set; } = SnapshotFormat.Json;

        /// <summary>Replace a non-empty folder that is not a snapshot (no manifest.json). Off: such a folder is refused.</summary>
        public bool Force { get; set; }

        /// <summary>The folder for the spool files while blocks are verified (see <see cref="Export.ReceiveOptions.TempDirectory"/>).</summary>
        public string? TempDirectory { get; set; }

        /// <summary>The version the manifest records as the writer's; the engine's assembly version when null.</summary>
        public string? ModuleVersion { get; set; }

        /// <summary>How many exports are downloaded at the same time.</summary>
        internal int MaxConcurrentReceives { get; set; } = 2;

        /// <summary>Writes the CSV files (from the block files, and members.csv from its rows); a seam for tests, <see cref="SnapshotCsv.WriteAsync(string, IReadOnlyList{SnapshotExport}, MemberRows, CancellationToken)"/> otherwise.</summary>
        internal Func<string, IReadOnlyList<SnapshotExport>, MemberRows?, CancellationToken, Task<IReadOnlyList<SnapshotFile>>> CsvWriter { get; set; } = SnapshotCsv.WriteAsync;
    }
}

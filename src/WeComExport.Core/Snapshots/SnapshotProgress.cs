using System;
using WeComExport.Export;

namespace WeComExport.Snapshots
{
    /// <summary>Where a snapshot stands.</summary>
    public enum SnapshotStage
    {
        /// <summary>Listing tags and starting the exports.</summary>
        Starting,

        /// <summary>One export was checked and is not done yet (<see cref="SnapshotProgress.Status"/>).</summary>
        Waiting,

        /// <summary>One export's blocks are being downloaded and written (<see cref="SnapshotProgress.Receive"/>).</summary>
        Receiving,

        /// <summary>One export is written and its files are checked (<see cref="SnapshotProgress.Records"/>).</summary>
        Received,

        /// <summary>The CSV files are being written.</summary>
        WritingCsv,

        /// <summary>The finished snapshot is being moved into place.</summary>
        Committing,
    }

    /// <summary>A progress report of a snapshot; the export fields are set for the stages about one export.</summary>
    public sealed class SnapshotProgress
    {
        internal SnapshotProgress(SnapshotStage stage, int exportsDone, int exportCount, TimeSpan elapsed)
        {
            Stage = stage;
            ExportsDone = exportsDone;
            ExportCount = exportCount;
            Elapsed = elapsed;
        }

        public SnapshotStage Stage { get; }

        /// <summary>Exports received and checked so far.</summary>
        public int ExportsDone { get; }

        /// <summary>Exports in this snapshot (0 while they are being started).</summary>
        public int ExportCount { get; }

        /// <summary>Time since the snapshot started.</summary>
        public TimeSpan Elapsed { get; }

        /// <summary>The export's position in the snapshot (0-based), for the stages about one export.</summary>
        public int ExportIndex { get; internal set; } = -1;

        /// <summary>The export's name in the snapshot: simple_user, user, department or taguser-{tagid}, as its files are named.</summary>
        public string? ExportName { get; internal set; }

        public ExportKind? Kind { get; internal set; }

        public string? JobId { get; internal set; }

        /// <summary>The job's state at the last check (<see cref="SnapshotStage.Waiting"/>).</summary>
        public ExportStatus? Status { get; internal set; }

        /// <summary>The download's progress (<see cref="SnapshotStage.Receiving"/>).</summary>
        public ReceiveProgress? Receive { get; internal set; }

        /// <summary>The records the export's files hold (<see cref="SnapshotStage.Received"/>).</summary>
        public long Records { get; internal set; }
    }
}

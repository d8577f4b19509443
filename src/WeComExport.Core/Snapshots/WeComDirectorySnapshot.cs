using System;
using System.Collections.Generic;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// What a finished snapshot holds: whose directory, where, how many records of each kind, which jobs
    /// produced it, and when. The folder's manifest.json has the details (every file with its SHA-256).
    /// </summary>
    public sealed class WeComDirectorySnapshot
    {
        internal WeComDirectorySnapshot(string corpId, string path, long members, long departments, long tagMembers, IReadOnlyDictionary<string, string> jobIds, DateTimeOffset startedAt, DateTimeOffset completedAt, SnapshotFormat formats)
        {
            CorpId = corpId;
            Path = path;
            Members = members;
            Departments = departments;
            TagMembers = tagMembers;
            JobIds = jobIds;
            StartedAt = startedAt;
            CompletedAt = completedAt;
            Formats = formats;
        }

        public string CorpId { get; }

        /// <summary>The snapshot folder (a full path).</summary>
        public string Path { get; }

        /// <summary>Member records (simple members, or member details).</summary>
        public long Members { get; }

        public long Departments { get; }

        /// <summary>Tag member records of every exported tag (users and departments).</summary>
        public long TagMembers { get; }

        /// <summary>Each export's job id by the export's name: simple_user or user, department, taguser-{tagid}.</summary>
        public IReadOnlyDictionary<string, string> JobIds { get; }

        public DateTimeOffset StartedAt { get; }

        /// <summary>When every export was received and checked (the manifest's completedAt).</summary>
        public DateTimeOffset CompletedAt { get; }

        public TimeSpan Duration => CompletedAt - StartedAt;

        public SnapshotFormat Formats { get; }

        public override string ToString() => Path;
    }
}

using System;
using System.Collections.Generic;
using WeComExport.Crypto;
using WeComExport.Export;

namespace WeComExport.Emulator.Jobs
{
    /// <summary>An export job: who made it, what it exports, with which key, and how far it has got.</summary>
    internal sealed class ExportJob
    {
        private volatile int status;
        private volatile IReadOnlyList<BlockFile> blocks = Array.Empty<BlockFile>();

        public ExportJob(string jobId, EmulatorCorp corp, ExportContent content, EncodingAesKey key, int blockSize, bool fail, DateTimeOffset created, string directory)
        {
            JobId = jobId;
            Corp = corp;
            Content = content;
            Key = key;
            BlockSize = blockSize;
            Fail = fail;
            Created = created;
            Directory = directory;
        }

        public string JobId { get; }

        public EmulatorCorp Corp { get; }

        public ExportContent Content { get; }

        public ExportKind Kind => Content.Kind;

        public EncodingAesKey Key { get; }

        public int BlockSize { get; }

        /// <summary>Set by the fail-job fault: the job ends in status 3.</summary>
        public bool Fail { get; }

        public DateTimeOffset Created { get; }

        /// <summary>Folder holding this job's block files.</summary>
        public string Directory { get; }

        public ExportStatus Status
        {
            get => (ExportStatus)status;
            set => status = (int)value;
        }

        /// <summary>The blocks in order; set once, before the status becomes Done.</summary>
        public IReadOnlyList<BlockFile> Blocks
        {
            get => blocks;
            set => blocks = value;
        }

        /// <summary>The JobType of this job's batch_job_result callback.</summary>
        public string CallbackJobType(string tagJobType) => Kind switch
        {
            ExportKind.SimpleUser => "export_simple_user",
            ExportKind.User => "export_user",
            ExportKind.Department => "export_department",
            _ => tagJobType,
        };

        public override string ToString() => $"Job {JobId} {Kind} for {Corp.CorpId}: {Status}";
    }
}

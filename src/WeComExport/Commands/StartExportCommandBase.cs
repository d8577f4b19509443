using System;
using System.Management.Automation;
using System.Security;
using WeComExport.Api;
using WeComExport.Crypto;
using WeComExport.Export;

namespace WeComExport.Commands
{
    /// <summary>What the Start-WeCom*Export cmdlets share: -BlockSize, -EncodingAesKey, ShouldProcess, one engine call per job.</summary>
    public abstract class StartExportCommandBase : WeComSessionCmdlet
    {
        private EncodingAesKey? givenKey;

        /// <summary>Records per block, 10000..1000000 (WeCom's default when omitted: 1000000).</summary>
        [Parameter]
        [ValidateRange(ExportLimits.MinBlockSize, ExportLimits.MaxBlockSize)]
        public int? BlockSize { get; set; }

        /// <summary>The key WeCom encrypts the blocks with: 43 letters and digits. A fresh one from a cryptographic RNG when omitted.</summary>
        [Parameter]
        [ValidateNotNull]
        [SecureStringOnly]
        public SecureString? EncodingAesKey { get; set; }

        protected override void BeginProcessing()
        {
            if (EncodingAesKey is not null)
            {
                givenKey = KeyParameters.Parse(this, EncodingAesKey, problem =>
                    ErrorRecords.InvalidArgument(WeComErrors.InvalidEncodingAesKey, problem, null));
            }
        }

        /// <summary>Starts one job (after ShouldProcess) and writes it; a failure is a non-terminating error.</summary>
        protected void StartJob(ExportKind kind, long? tagId)
        {
            WeComSession session = ResolveSession();
            string what = kind == ExportKind.TagUser ? $"{kind} export of tag {tagId}" : $"{kind} export";
            if (!ShouldProcess($"corp {session.CorpId}", $"Start {what}"))
            {
                return;
            }

            EncodingAesKey key = givenKey ?? Crypto.EncodingAesKey.Generate();
            WeComExportJob job;
            try
            {
                job = RunEngine(ct => ExportOperations.StartAsync(session, kind, key, BlockSize, tagId, ct));
            }
            catch (EngineCallException ex)
            {
                WriteEngineError(ex, (object?)tagId ?? kind);
                return;
            }

            RecentJobs.Add(job);
            WriteObject(job);
        }
    }
}

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

        /// <summary>The job as the -WhatIf/-Confirm text names it: "User export", "TagUser export of tag 3".</summary>
        protected virtual string DescribeJob(WeComSession session, ExportKind kind, long? tagId) =>
            tagId is null ? $"{kind} export" : $"{kind} export of tag {tagId}";

        /// <summary>Whether ShouldProcess will show its text (-WhatIf, or a confirmation prompt), so it is worth an API call to word it.</summary>
        protected bool ShouldProcessShowsText()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? whatIf))
            {
                if (LanguagePrimitives.IsTrue(whatIf))
                {
                    return true;
                }
            }
            else if (LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference")))
            {
                return true;
            }

            if (MyInvocation.BoundParameters.TryGetValue("Confirm", out object? confirm))
            {
                return LanguagePrimitives.IsTrue(confirm);
            }

            // These cmdlets are ConfirmImpact.Low: they prompt only when $ConfirmPreference is Low.
            return LanguagePrimitives.TryConvertTo(GetVariableValue("ConfirmPreference"), out ConfirmImpact preference)
                && preference != ConfirmImpact.None
                && preference <= ConfirmImpact.Low;
        }

        /// <summary>Starts one job (after ShouldProcess) and writes it; a failure is a non-terminating error.</summary>
        protected void StartJob(ExportKind kind, long? tagId)
        {
            WeComSession session = ResolveSession();
            if (!ShouldProcess($"corp {session.CorpId}", $"Start {DescribeJob(session, kind, tagId)}"))
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

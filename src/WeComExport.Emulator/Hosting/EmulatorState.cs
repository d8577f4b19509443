using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using WeComExport.Emulator.Api;
using WeComExport.Emulator.Callbacks;
using WeComExport.Emulator.Control;
using WeComExport.Emulator.Faults;
using WeComExport.Emulator.Jobs;

namespace WeComExport.Emulator.Hosting
{
    /// <summary>Everything one running emulator knows: its corps, tokens, jobs, faults and counters.</summary>
    internal sealed class EmulatorState : IAsyncDisposable
    {
        public EmulatorState(EmulatorOptions options, IReadOnlyList<EmulatorCorp> corps, string dataDirectory)
        {
            Options = options;
            Corps = corps;
            Tokens = new TokenStore(options.TokenLifetime);
            Faults = new FaultRegistry(options.Seed);
            Callbacks = new CallbackSender(options.CallbackRetryDelay);
            Jobs = new JobStore(options, dataDirectory, Callbacks);
        }

        public EmulatorOptions Options { get; }

        public IReadOnlyList<EmulatorCorp> Corps { get; }

        public TokenStore Tokens { get; }

        public JobStore Jobs { get; }

        public FaultRegistry Faults { get; }

        public RequestCounter Requests { get; } = new();

        public UrlSigner Urls { get; } = new();

        public CallbackSender Callbacks { get; }

        /// <summary>Completed by POST /_emulator/shutdown.</summary>
        public TaskCompletionSource ShutdownRequested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public EmulatorCorp? FindCorp(string? corpId)
        {
            foreach (EmulatorCorp corp in Corps)
            {
                if (string.Equals(corp.CorpId, corpId, StringComparison.Ordinal))
                {
                    return corp;
                }
            }

            return null;
        }

        public async ValueTask DisposeAsync()
        {
            await Jobs.DisposeAsync();
            Callbacks.Dispose();
        }
    }
}

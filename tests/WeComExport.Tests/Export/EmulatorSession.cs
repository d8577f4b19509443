using System;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Crypto;
using WeComExport.Emulator;
using WeComExport.Export;
using WeComExport.Security;

namespace WeComExport.Tests.Export
{
    /// <summary>An in-process emulator and an engine session connected to its first corp, for the receiver's end-to-end tests.</summary>
    internal sealed class EmulatorSession : IAsyncDisposable
    {
        private EmulatorSession(EmulatorServer emulator, WeComSession session)
        {
            Emulator = emulator;
            Session = session;
        }

        public EmulatorServer Emulator { get; }

        public WeComSession Session { get; }

        public static async Task<EmulatorSession> StartAsync(int members)
        {
            EmulatorServer emulator = await EmulatorServer.StartAsync(new EmulatorOptions { Members = members, JobDelay = TimeSpan.FromMilliseconds(20) });
            EmulatorCorp corp = emulator.Corps[0];
            WeComSession session = await WeComSession.ConnectAsync(corp.CorpId, SecureText.From(corp.Secret), emulator.BaseUri, CancellationToken.None);
            session.RetryPolicy.BaseDelay = TimeSpan.FromMilliseconds(10);
            return new EmulatorSession(emulator, session);
        }

        /// <summary>Starts an export with a fresh key and waits until it is done; the job's LastResult is the final get_result.</summary>
        public async Task<WeComExportJob> StartAndWaitAsync(ExportKind kind, int? blockSize, long? tagId)
        {
            WeComExportJob job = await ExportOperations.StartAsync(Session, kind, EncodingAesKey.Generate(), blockSize, tagId, CancellationToken.None);
            job.LastResult = await ExportOperations.WaitAsync(Session, job.JobId, TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(50), null, CancellationToken.None);
            return job;
        }

        public async ValueTask DisposeAsync()
        {
            Session.Dispose();
            await Emulator.DisposeAsync();
        }
    }
}

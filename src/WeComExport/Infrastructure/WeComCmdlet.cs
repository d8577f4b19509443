using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.PowerShell.Commands;
using WeComExport.Api;
using WeComExport.Diagnostics;
using WeComExport.Internal;

namespace WeComExport.Commands
{
    /// <summary>
    /// Base of the cmdlets that call the engine. The engine runs on the thread pool; this pipeline
    /// thread pumps what it posts (Verbose/Debug lines, progress, records) so that every Write* call
    /// happens on the pipeline thread, in order. Ctrl+C (StopProcessing) cancels the engine call.
    /// An engine failure comes out as <see cref="EngineCallException"/>; whatever a downstream command
    /// throws from a Write* passes through untouched, so the caller's try/catch and -ErrorAction work.
    /// </summary>
    public abstract class WeComCmdlet : PSCmdlet, IDisposable
    {
        // Bounded so a fast producer cannot fill memory while a slow pipeline consumes records.
        private const int QueueCapacity = 256;

        // Record batches posted and not yet written: with PostBatch's batches this bounds the records in flight.
        private const int OutputSlotCount = 2;

        // Large enough that the hand-off costs nothing per item; small enough (with the 2 slots) that few records are in
        // flight to survive a gen0 collection (docs/design.md, "Batches to the pipeline").
        internal const int DefaultBatchSize = 256;

        private readonly CancellationTokenSource stopping = new();
        private EngineCall? current;

        /// <summary>Runs one engine call to completion while pumping its output on this thread.</summary>
        protected T RunEngine<T>(Func<CancellationToken, Task<T>> work)
        {
            using var call = new EngineCall(stopping.Token);
            EngineCall? outer = current;
            current = call;
            try
            {
                Task<T> task;
                using (WeComLog.BeginScope((level, message) => Post(level switch
                {
                    WeComLogLevel.Verbose => () => WriteVerbose(message),
                    WeComLogLevel.Warning => () => WriteWarning(message),
                    _ => () => WriteDebug(message),
                })))
                {
                    task = Task.Run(() => work(call.Token), call.Token);
                }

                _ = task.ContinueWith(_ => call.Queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                try
                {
                    foreach (Action action in call.Queue.GetConsumingEnumerable(stopping.Token))
                    {
                        action();
                    }
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    call.Cancel();
                    WaitQuietly(task);
                    throw new PipelineStoppedException();
                }
                catch
                {
                    // A Write threw (a downstream error, Select-Object -First): stop this engine call,
                    // let it unwind before its queue goes away, and let the exception go on as it is.
                    call.Cancel();
                    WaitQuietly(task);
                    throw;
                }

                try
                {
                    return task.GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
                catch (Exception ex)
                {
                    throw new EngineCallException(ex);
                }
            }
            finally
            {
                current = outer;
            }
        }

        protected void RunEngine(Func<CancellationToken, Task> work) =>
            RunEngine<bool>(async ct =>
            {
                await work(ct).ConfigureAwait(false);
                return true;
            });

        /// <summary>Queues an action for the pipeline thread; called from engine threads. Blocks while the queue is full.</summary>
        protected void Post(Action action)
        {
            EngineCall? call = current;
            if (call is null)
            {
                return;
            }

            try
            {
                call.Queue.Add(action, call.Token);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or OperationCanceledException)
            {
                // The engine call already completed or was stopped; a late item has nowhere to go.
            }
        }

        /// <summary>
        /// Queues a progress update for the pipeline thread without ever waiting: when the queue is full (a slow or paused
        /// pipeline) the update is dropped, as a later one supersedes it. A download must not stall on a progress bar.
        /// </summary>
        protected void PostProgress(Action writeProgress)
        {
            EngineCall? call = current;
            try
            {
                call?.Queue.TryAdd(writeProgress);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
            {
                // The engine call already completed; a late update has nowhere to go.
            }
        }

        /// <summary>
        /// Queues a batch of output objects for the pipeline thread, written one by one there; called from engine
        /// threads. Blocks while <see cref="OutputSlotCount"/> batches are still unwritten, so the objects in flight stay
        /// bounded however fast the engine is.
        /// </summary>
        protected void PostBatch<T>(T[] items)
        {
            EngineCall? call = current;
            if (call is null)
            {
                return;
            }

            try
            {
                call.OutputSlots.Wait(call.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                // The engine call was stopped or is over; a late batch has nowhere to go.
                return;
            }

            Post(() =>
            {
                try
                {
                    foreach (T item in items)
                    {
                        WriteObject(item);
                    }
                }
                finally
                {
                    call.OutputSlots.Release();
                }
            });
        }

        /// <summary>A batch that collects output on an engine thread and hands it to the pipeline thread through <see cref="PostBatch{T}"/>.</summary>
        internal ItemBatch<T> NewOutputBatch<T>(int size = DefaultBatchSize) => new(size, PostBatch);

        /// <summary>Writes the error for a failed item and lets the rest of the input go on.</summary>
        protected void WriteEngineError(EngineCallException failure, object? target)
        {
            if (failure is null)
            {
                throw new ArgumentNullException(nameof(failure));
            }

            WriteError(ErrorRecords.FromException(failure.InnerException!, target));
        }

        /// <summary>
        /// A folder parameter as a full file-system path (<see cref="FileSystemPaths.ResolveFolder"/>), or a terminating
        /// <paramref name="error"/> before any request is made: not a file-system path, or a file on the way to it, or
        /// (unless <paramref name="fileIsCheckedLater"/>) a file at the path itself.
        /// </summary>
        protected string? ResolveFileSystemFolder(string parameter, string? value, WeComErrorDefinition error, bool fileIsCheckedLater = false)
        {
            if (value is null)
            {
                return null;
            }

            string? path = FileSystemPaths.ResolveFolder(this, parameter, value, out string? problem);
            if (path is null)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument(error, problem!, value));
            }

            // The folder or the first of its parents that exists must be a folder: a file there is refused now, not after the
            // download. With fileIsCheckedLater, only a file at the path itself is left to the caller.
            for (string? at = path; !string.IsNullOrEmpty(at) && !System.IO.Directory.Exists(at); at = System.IO.Path.GetDirectoryName(at))
            {
                if (System.IO.File.Exists(at) && !(fileIsCheckedLater && at == path))
                {
                    ThrowTerminatingError(ErrorRecords.InvalidArgument(
                        error,
                        at == path ? $"-{parameter} '{value}' is a file, not a folder." : $"-{parameter} '{value}' cannot be a folder: '{at}' on its path is a file.",
                        value));
                }
            }

            return path;
        }

        protected override void StopProcessing() => stopping.Cancel();

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (disposing)
            {
                stopping.Dispose();
            }
        }

        private static void WaitQuietly(Task task)
        {
            try
            {
                task.Wait(TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
                // Its failure is moot: the pipeline is already stopping for another reason.
            }
        }

        /// <summary>One engine call: its output queue and a cancellation that also follows Ctrl+C.</summary>
        private sealed class EngineCall : IDisposable
        {
            private readonly CancellationTokenSource cancellation;

            public EngineCall(CancellationToken stopping) => cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);

            public BlockingCollection<Action> Queue { get; } = new(QueueCapacity);

            public SemaphoreSlim OutputSlots { get; } = new(OutputSlotCount, OutputSlotCount);

            public CancellationToken Token => cancellation.Token;

            public void Cancel() => cancellation.Cancel();

            public void Dispose()
            {
                cancellation.Dispose();
                Queue.Dispose();
                OutputSlots.Dispose();
            }
        }
    }

    /// <summary>An engine call failed; <see cref="Exception.InnerException"/> is what the engine threw.</summary>
    public sealed class EngineCallException : Exception
    {
        public EngineCallException()
        {
        }

        public EngineCallException(string message)
            : base(message)
        {
        }

        public EngineCallException(Exception innerException)
            : base(innerException?.Message, innerException)
        {
        }

        public EngineCallException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}

using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Diagnostics;

namespace WeComExport.Commands
{
    /// <summary>
    /// Base of the cmdlets that call the engine. The engine runs on the thread pool; this pipeline
    /// thread pumps what it posts (Verbose/Debug lines, progress, records) so that every Write* call
    /// happens on the pipeline thread, in order. Ctrl+C (StopProcessing) cancels the engine call.
    /// </summary>
    public abstract class WeComCmdlet : PSCmdlet, IDisposable
    {
        // Bounded so a fast producer cannot fill memory while a slow pipeline consumes records.
        private const int QueueCapacity = 256;

        private readonly CancellationTokenSource stopping = new();
        private BlockingCollection<Action>? queue;

        protected CancellationToken StopToken => stopping.Token;

        /// <summary>Runs one engine call to completion while pumping its output on this thread.</summary>
        protected T RunEngine<T>(Func<CancellationToken, Task<T>> work)
        {
            using var current = new BlockingCollection<Action>(QueueCapacity);
            BlockingCollection<Action>? outer = queue;
            queue = current;
            Task<T> task;
            try
            {
                using (WeComLog.BeginScope((level, message) => Post(level == WeComLogLevel.Verbose ? () => WriteVerbose(message) : () => WriteDebug(message))))
                {
                    task = Task.Run(() => work(stopping.Token), stopping.Token);
                }

                _ = task.ContinueWith(_ => current.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                try
                {
                    foreach (Action action in current.GetConsumingEnumerable())
                    {
                        action();
                    }
                }
                catch
                {
                    // The pipeline stopped (Ctrl+C, Select-Object -First) or a Write threw: stop the engine
                    // too, and let it unwind before its queue goes away.
                    stopping.Cancel();
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
            }
            finally
            {
                queue = outer;
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
            BlockingCollection<Action>? target = queue;
            if (target is null || target.IsAddingCompleted)
            {
                return;
            }

            try
            {
                target.Add(action, stopping.Token);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or OperationCanceledException)
            {
                // The engine call already completed or was stopped; a late item has nowhere to go.
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

        /// <summary>Writes the error for a failed item and lets the rest of the input go on.</summary>
        protected void WriteEngineError(Exception exception, object? target)
        {
            if (exception is PipelineStoppedException)
            {
                throw exception;
            }

            WriteError(ErrorRecords.FromException(exception, target));
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
    }
}

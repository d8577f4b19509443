using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace WeComExport.Internal
{
    /// <summary>
    /// The push counterpart of <see cref="ReadAhead"/>: items added on one thread (a parse, typically) are consumed in
    /// order on a thread of its own (rows being written), in batches, so the two use two cores. At most
    /// <c>batchSize × (batchesAhead + 2)</c> items are held. The consumer's failure is thrown by the next
    /// <see cref="Add"/> or by <see cref="Complete"/>, never lost; <see cref="Dispose"/> without <see cref="Complete"/>
    /// stops the consumer and waits for it, so nothing runs after the caller has gone on.
    /// </summary>
    internal sealed class BackgroundConsumer<T> : IDisposable
    {
        private readonly BlockingCollection<T[]> queue;
        private readonly CancellationTokenSource stop;
        private readonly ItemBatch<T> batch;
        private readonly Task consumer;
        private readonly CancellationToken ct;
        private bool completed;

        // Small batches, few ahead: items in flight survive a gen0 collection into gen1. With 256 x 4 (about 1,500 member
        // details, 4 MB) nearly every gen0 collection of a directory export was followed by a gen1 one (274 of 286 per 10^6
        // members); with 64 x 2, 19-30, and 10-15 % less CPU (docs/performance.md).
        public BackgroundConsumer(Action<T> consume, CancellationToken ct, int batchSize = 64, int batchesAhead = 2)
        {
            if (consume is null)
            {
                throw new ArgumentNullException(nameof(consume));
            }

            this.ct = ct;
            queue = new BlockingCollection<T[]>(batchesAhead);
            stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            batch = new ItemBatch<T>(batchSize, items => queue.Add(items, stop.Token));
            // A thread of its own: it waits for items most of its life, and a pool thread held so could starve the
            // receive's own work on a small machine.
            consumer = Task.Factory.StartNew(
                () =>
                {
                    try
                    {
                        foreach (T[] items in queue.GetConsumingEnumerable(stop.Token))
                        {
                            foreach (T item in items)
                            {
                                consume(item);
                            }
                        }
                    }
                    catch
                    {
                        // The producer's next Add stops waiting for room.
                        stop.Cancel();
                        throw;
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }

        public void Add(T item)
        {
            ThrowIfConsumerFailed();
            try
            {
                batch.Add(item);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Not the caller's cancellation: the consumer failed, and its failure is what to throw.
                ThrowConsumerFailure();
                throw;
            }
        }

        /// <summary>Hands on the last items and waits until every item is consumed; throws the consumer's failure.</summary>
        public void Complete()
        {
            try
            {
                batch.Flush();
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                ThrowConsumerFailure();
                throw;
            }

            queue.CompleteAdding();
            completed = true;
            consumer.GetAwaiter().GetResult();
        }

        public void Dispose()
        {
            if (!completed)
            {
                stop.Cancel();
                queue.CompleteAdding();
                try
                {
                    consumer.GetAwaiter().GetResult();
                }
                catch (Exception)
                {
                    // The caller is already failing or stopping: its own exception is the one that goes on.
                }
            }

            queue.Dispose();
            stop.Dispose();
        }

        /// <summary>Waits for the stopping consumer and throws what stopped it.</summary>
        private void ThrowConsumerFailure() => consumer.GetAwaiter().GetResult();

        private void ThrowIfConsumerFailed()
        {
            if (consumer.IsFaulted)
            {
                ThrowConsumerFailure();
            }
        }
    }
}

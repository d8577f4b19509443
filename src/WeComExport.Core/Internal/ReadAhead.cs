using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace WeComExport.Internal
{
    /// <summary>
    /// Runs a sequence's producer (a parse, typically) on the thread pool a few batches ahead of its consumer (rows being
    /// written), so the two use two cores. Items arrive in order; the source's failure is thrown after every item before it.
    /// At most <c>batchSize × (batchesAhead + 2)</c> items are held. A consumer that stops early stops the producer and waits
    /// for it, so the source (and the files it reads) is disposed before the consumer goes on.
    /// </summary>
    internal static class ReadAhead
    {
        public static IEnumerable<T> Of<T>(IEnumerable<T> source, CancellationToken ct, int batchSize = 256, int batchesAhead = 4)
        {
            if (source is null)
            {
                throw new ArgumentNullException(nameof(source));
            }

            return Iterate(source, batchSize, batchesAhead, ct);
        }

        private static IEnumerable<T> Iterate<T>(IEnumerable<T> source, int batchSize, int batchesAhead, CancellationToken ct)
        {
            using var queue = new BlockingCollection<T[]>(batchesAhead);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            Task producer = Task.Run(
                () =>
                {
                    try
                    {
                        Produce(source, batchSize, queue, stop.Token, ct);
                    }
                    finally
                    {
                        queue.CompleteAdding();
                    }
                },
                CancellationToken.None); // always runs, so the queue is always completed: the consumer never waits forever

            bool finished = false;
            try
            {
                // Cancellation (the caller's, or this consumer's own stop) reaches the producer, which then completes the queue.
                foreach (T[] batch in queue.GetConsumingEnumerable(CancellationToken.None))
                {
                    foreach (T item in batch)
                    {
                        yield return item;
                    }
                }

                finished = true;
                producer.GetAwaiter().GetResult();
            }
            finally
            {
                if (!finished)
                {
                    stop.Cancel();
                    WaitQuietly(producer);
                }
            }
        }

        private static void Produce<T>(IEnumerable<T> source, int batchSize, BlockingCollection<T[]> queue, CancellationToken stop, CancellationToken ct)
        {
            var batch = new ItemBatch<T>(batchSize, items => queue.Add(items, stop));
            try
            {
                foreach (T item in source)
                {
                    if (stop.IsCancellationRequested)
                    {
                        // The caller cancelled, or the consumer stopped: the parse stops at once, not at the next batch.
                        ct.ThrowIfCancellationRequested();
                        return;
                    }

                    batch.Add(item);
                }

                batch.Flush();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The caller's cancellation, whoever noticed it first: the consumer gets it carrying the caller's token.
                ct.ThrowIfCancellationRequested();
                throw;
            }
            catch (Exception)
            {
                // The items read before the failure go out first, as the failure comes after them.
                if (!stop.IsCancellationRequested)
                {
                    FlushQuietly(batch);
                }

                throw;
            }
        }

        private static void FlushQuietly<T>(ItemBatch<T> batch)
        {
            try
            {
                batch.Flush();
            }
            catch (OperationCanceledException)
            {
                // The consumer stopped meanwhile; the source's failure is still the one thrown.
            }
        }

        // The consumer's own failure (or its early stop) is what goes on; the producer's end is only waited for.
        private static void WaitQuietly(Task producer)
        {
            try
            {
                producer.GetAwaiter().GetResult();
            }
            catch (Exception)
            {
            }
        }
    }
}

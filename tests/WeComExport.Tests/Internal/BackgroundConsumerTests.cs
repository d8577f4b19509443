using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WeComExport.Internal;
using Xunit;

namespace WeComExport.Tests.Internal
{
    /// <summary>Members parsed on one thread and written as rows on another: whole, in order, bounded, and no failure lost.</summary>
    public class BackgroundConsumerTests
    {
        [Fact]
        public void Every_item_is_consumed_in_order_on_another_thread_before_Complete_returns()
        {
            var seen = new List<int>();
            var threads = new HashSet<int>();
            using (var consumer = new BackgroundConsumer<int>(
                item =>
                {
                    seen.Add(item);
                    threads.Add(Environment.CurrentManagedThreadId);
                },
                CancellationToken.None,
                batchSize: 64,
                batchesAhead: 2))
            {
                for (int i = 0; i < 10_007; i++)
                {
                    consumer.Add(i);
                }

                consumer.Complete();
                Assert.Equal(Enumerable.Range(0, 10_007), seen);
            }

            Assert.DoesNotContain(Environment.CurrentManagedThreadId, threads);
        }

        [Fact]
        public void The_producer_waits_when_the_consumer_is_its_bound_behind()
        {
            using var release = new ManualResetEventSlim();
            int added = 0;
            using var consumer = new BackgroundConsumer<int>(_ => release.Wait(), CancellationToken.None, batchSize: 10, batchesAhead: 2);
            var producing = new Thread(() =>
            {
                for (int i = 0; i < 1000; i++)
                {
                    consumer.Add(i);
                    Interlocked.Increment(ref added);
                }
            });
            producing.Start();
            Thread.Sleep(300);

            // One batch taken by the consumer, two queued, one being filled: at most 10 × (2 + 2) items.
            Assert.InRange(Volatile.Read(ref added), 1, 40);
            release.Set();
            producing.Join();
            consumer.Complete();
        }

        [Fact]
        public void The_consumers_failure_is_thrown_by_the_producers_next_add_and_no_item_after_it_is_consumed()
        {
            var failure = new InvalidDataException("too many columns");
            var seen = new List<int>();
            using var consumer = new BackgroundConsumer<int>(
                item =>
                {
                    if (item == 500)
                    {
                        throw failure;
                    }

                    seen.Add(item);
                },
                CancellationToken.None,
                batchSize: 16,
                batchesAhead: 2);

            var thrown = Assert.Throws<InvalidDataException>(() =>
            {
                for (int i = 0; i < 1_000_000; i++)
                {
                    consumer.Add(i);
                }
            });

            Assert.Same(failure, thrown);
            Assert.Equal(Enumerable.Range(0, 500), seen);
        }

        [Fact]
        public void A_failure_in_the_last_items_is_thrown_by_Complete()
        {
            var failure = new InvalidDataException("the last row");
            using var consumer = new BackgroundConsumer<int>(item => throw failure, CancellationToken.None, batchSize: 64);
            consumer.Add(1);

            Assert.Same(failure, Assert.Throws<InvalidDataException>(consumer.Complete));
        }

        [Fact]
        public void Dispose_without_Complete_stops_the_consumer_and_waits_for_it()
        {
            int consumed = 0;
            bool running = false;
            var consumer = new BackgroundConsumer<int>(
                _ =>
                {
                    Volatile.Write(ref running, true);
                    Thread.Sleep(5);
                    Interlocked.Increment(ref consumed);
                    Volatile.Write(ref running, false);
                },
                CancellationToken.None,
                batchSize: 1,
                batchesAhead: 4);
            for (int i = 0; i < 5; i++)
            {
                consumer.Add(i);
            }

            consumer.Dispose();
            int after = Volatile.Read(ref consumed);

            Assert.False(Volatile.Read(ref running));
            Thread.Sleep(50);
            Assert.Equal(after, Volatile.Read(ref consumed));
            Assert.True(after < 5, "the queued items were dropped, not consumed after Dispose");
        }

        [Fact]
        public void The_callers_cancellation_stops_a_waiting_producer()
        {
            using var cts = new CancellationTokenSource();
            using var release = new ManualResetEventSlim();
            using var consumer = new BackgroundConsumer<int>(_ => release.Wait(), cts.Token, batchSize: 1, batchesAhead: 1);
            cts.CancelAfter(200);

            Assert.ThrowsAny<OperationCanceledException>(() =>
            {
                for (int i = 0; i < 100; i++)
                {
                    consumer.Add(i);
                }
            });
            release.Set();
        }
    }
}

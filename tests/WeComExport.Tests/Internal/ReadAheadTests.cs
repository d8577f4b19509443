using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using WeComExport.Internal;
using Xunit;

namespace WeComExport.Tests.Internal
{
    /// <summary>Records parsed on one thread and written on another must arrive whole, in order, bounded, and stop cleanly.</summary>
    public class ReadAheadTests
    {
        [Fact]
        public void Every_item_arrives_in_order()
        {
            List<int> seen = ReadAhead.Of(Enumerable.Range(0, 10_007), CancellationToken.None, batchSize: 64, batchesAhead: 2).ToList();
            Assert.Equal(Enumerable.Range(0, 10_007), seen);
        }

        [Fact]
        public void A_failing_source_gives_every_item_before_the_failure_then_the_failure_itself()
        {
            var failure = new InvalidDataException("block 3 is broken");
            var seen = new List<int>();
            var thrown = Assert.Throws<InvalidDataException>(() =>
            {
                foreach (int item in ReadAhead.Of(Failing(1000, failure), CancellationToken.None, batchSize: 64))
                {
                    seen.Add(item);
                }
            });

            Assert.Same(failure, thrown);
            Assert.Equal(Enumerable.Range(0, 1000), seen);
        }

        [Fact]
        public void The_producer_stays_within_its_bound_of_the_consumer()
        {
            int produced = 0;
            int maxLead = 0;
            int consumed = 0;
            foreach (int item in ReadAhead.Of(Counting(20_000, () => Interlocked.Increment(ref produced)), CancellationToken.None, batchSize: 16, batchesAhead: 3))
            {
                consumed++;
                if (consumed % 500 == 0)
                {
                    Thread.Sleep(1); // a slow consumer: the producer must wait, not run away
                }

                maxLead = Math.Max(maxLead, Volatile.Read(ref produced) - consumed);
            }

            Assert.Equal(20_000, consumed);
            Assert.InRange(maxLead, 0, 16 * (3 + 2));
        }

        [Fact]
        public void A_consumer_that_stops_early_stops_the_producer_and_the_source_is_disposed_before_it_goes_on()
        {
            var source = new TrackedSource(1_000_000);
            foreach (int item in ReadAhead.Of(source, CancellationToken.None, batchSize: 32, batchesAhead: 2))
            {
                if (item == 100)
                {
                    break;
                }
            }

            Assert.True(source.Disposed);
            int producedAtStop = source.Produced;
            Thread.Sleep(50);
            Assert.Equal(producedAtStop, source.Produced);
            Assert.InRange(producedAtStop, 101, 101 + (32 * 4));
        }

        [Fact]
        public void A_consumer_that_fails_while_the_producer_waits_gets_its_own_failure_and_the_source_is_disposed()
        {
            var source = new TrackedSource(1_000_000);
            var failure = new IOException("disk full");
            var thrown = Assert.Throws<IOException>(() =>
            {
                foreach (int item in ReadAhead.Of(source, CancellationToken.None, batchSize: 8, batchesAhead: 1))
                {
                    if (item == 20)
                    {
                        Thread.Sleep(50); // the producer fills the queue and blocks meanwhile
                        throw failure;
                    }
                }
            });

            Assert.Same(failure, thrown);
            Assert.True(source.Disposed);
            Assert.InRange(source.Produced, 21, 21 + (8 * 3));
        }

        [Fact]
        public void Cancellation_ends_the_enumeration_with_the_cancellation()
        {
            using var cancel = new CancellationTokenSource();
            int seen = 0;
            var thrown = Assert.ThrowsAny<OperationCanceledException>(() =>
            {
                foreach (int item in ReadAhead.Of(Cancellable(cancel.Token), cancel.Token, batchSize: 8))
                {
                    if (++seen == 50)
                    {
                        cancel.Cancel();
                    }
                }
            });

            // The caller's token, so that a task running this ends as canceled rather than faulted.
            Assert.Equal(cancel.Token, thrown.CancellationToken);
        }

        private static IEnumerable<int> Failing(int before, Exception failure)
        {
            for (int i = 0; i < before; i++)
            {
                yield return i;
            }

            throw failure;
        }

        private static IEnumerable<int> Counting(int count, Action produced)
        {
            for (int i = 0; i < count; i++)
            {
                produced();
                yield return i;
            }
        }

        private static IEnumerable<int> Cancellable(CancellationToken ct)
        {
            for (int i = 0; ; i++)
            {
                ct.ThrowIfCancellationRequested();
                yield return i;
            }
        }

        private sealed class TrackedSource : IEnumerable<int>
        {
            private readonly int count;
            private int produced;

            public TrackedSource(int count) => this.count = count;

            public bool Disposed { get; private set; }

            public int Produced => Volatile.Read(ref produced);

            public IEnumerator<int> GetEnumerator()
            {
                try
                {
                    for (int i = 0; i < count; i++)
                    {
                        Interlocked.Increment(ref produced);
                        yield return i;
                    }
                }
                finally
                {
                    Disposed = true;
                }
            }

            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}

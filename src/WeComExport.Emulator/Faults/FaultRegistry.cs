using System;
using System.Collections.Generic;

namespace WeComExport.Emulator.Faults
{
    /// <summary>
    /// The active faults. Thread-safe; a counted fault is used up exactly once per firing, even under concurrency.
    /// Probability faults draw from a generator seeded from the options' seed, so the same sequence of
    /// requests fires the same faults in every run.
    /// </summary>
    internal sealed class FaultRegistry
    {
        private readonly List<FaultRule> rules = new();
        private readonly object gate = new();
        private readonly Random random;
        private int nextId;

        public FaultRegistry(long seed)
        {
            // CA5394: fault injection wants cheap, repeatable randomness, not unpredictable randomness.
#pragma warning disable CA5394
            random = new Random(unchecked((int)Directory.Mix.Hash((ulong)seed, 0xFA, 0x17)));
#pragma warning restore CA5394
        }

        public FaultRule Add(FaultRule rule)
        {
            lock (gate)
            {
                rule.Id = ++nextId;
                rules.Add(rule);
                return rule;
            }
        }

        public IReadOnlyList<FaultRule> Snapshot()
        {
            lock (gate)
            {
                return rules.ToArray();
            }
        }

        public int Clear()
        {
            lock (gate)
            {
                int n = rules.Count;
                rules.Clear();
                return n;
            }
        }

        /// <summary>Fires the first matching rule of <paramref name="kind"/> for this request, if any.</summary>
        public FaultRule? TryFire(FaultKind kind, string? corpId, string path)
        {
            lock (gate)
            {
                if (rules.Count == 0)
                {
                    return null;
                }

                for (int i = 0; i < rules.Count; i++)
                {
                    FaultRule rule = rules[i];
                    if (rule.Kind != kind ||
                        (rule.CorpId is not null && !string.Equals(rule.CorpId, corpId, StringComparison.Ordinal)) ||
                        (rule.Path is not null && !string.Equals(rule.Path, path, StringComparison.Ordinal)))
                    {
                        continue;
                    }

                    if (rule.Remaining is int remaining)
                    {
                        rule.Remaining = remaining - 1;
                        rule.Fired++;
                        if (remaining - 1 == 0)
                        {
                            rules.RemoveAt(i);
                        }

                        return rule;
                    }

                    // CA5394: see the constructor. Drawn under the lock, so the sequence is the request order.
#pragma warning disable CA5394
                    if (random.NextDouble() < rule.Probability)
#pragma warning restore CA5394
                    {
                        rule.Fired++;
                        return rule;
                    }
                }

                return null;
            }
        }
    }
}

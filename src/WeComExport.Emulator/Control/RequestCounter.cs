using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace WeComExport.Emulator.Control
{
    /// <summary>Counts requests to /cgi-bin and to block downloads, by path, so a test can prove what a client sent (or that it sent nothing).</summary>
    internal sealed class RequestCounter
    {
        private readonly ConcurrentDictionary<string, int> byPath = new(StringComparer.Ordinal);
        private int total;

        public int Total => Volatile.Read(ref total);

        public void Count(string path)
        {
            byPath.AddOrUpdate(path, 1, (_, n) => n + 1);
            Interlocked.Increment(ref total);
        }

        public IReadOnlyList<KeyValuePair<string, int>> ByPath() =>
            byPath.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();

        public void Reset()
        {
            byPath.Clear();
            Interlocked.Exchange(ref total, 0);
        }
    }
}

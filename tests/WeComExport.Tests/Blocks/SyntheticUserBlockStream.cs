using System;
using System.IO;
using System.Text;
using WeComExport.Internal;

namespace WeComExport.Tests.Blocks
{
    /// <summary>
    /// A user block's plaintext JSON generated on the fly, record by record, so that hundreds of MB can
    /// flow through the reader without ever existing in memory.
    /// </summary>
    internal sealed class SyntheticUserBlockStream : ForwardReadStream
    {
        private readonly long targetBytes;
        private readonly StringBuilder text = new();
        private byte[] pending = Encoding.UTF8.GetBytes("{\"userlist\":[");
        private int pendingOffset;
        private long produced;
        private bool closed;

        public SyntheticUserBlockStream(long targetBytes)
        {
            this.targetBytes = targetBytes;
        }

        public long RecordCount { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (pendingOffset == pending.Length && !NextPiece())
            {
                return 0;
            }

            int n = Math.Min(count, pending.Length - pendingOffset);
            Array.Copy(pending, pendingOffset, buffer, offset, n);
            pendingOffset += n;
            produced += n;
            return n;
        }

        private bool NextPiece()
        {
            if (closed)
            {
                return false;
            }

            text.Clear();
            if (produced >= targetBytes)
            {
                text.Append("]}");
                closed = true;
            }
            else
            {
                long i = RecordCount++;
                text.Append(i == 0 ? "{" : ",{")
                    .Append("\"userid\":\"user").Append(i).Append("\",\"name\":\"张三").Append(i % 1000)
                    .Append("\",\"department\":[1,").Append(i % 97).Append("],\"order\":[0,").Append(i)
                    .Append("],\"position\":\"后台工程师\",\"mobile\":\"138").Append(i % 100_000_000)
                    .Append("\",\"gender\":\"1\",\"email\":\"user").Append(i).Append("@example.com\",\"is_leader_in_dept\":[0,1]")
                    .Append(",\"direct_leader\":[\"lisi\"],\"status\":1,\"main_department\":1,\"alias\":\"a\\\"b\"")
                    .Append(",\"extattr\":{\"attrs\":[{\"type\":0,\"name\":\"工号\",\"text\":{\"value\":\"A").Append(i).Append("\"}}]}")
                    .Append(",\"unknown_field\":{\"x\":[1,2,3]}}");
            }

            pending = Encoding.UTF8.GetBytes(text.ToString());
            pendingOffset = 0;
            return true;
        }
    }
}

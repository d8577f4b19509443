using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Export;
using WeComExport.Security;
using Xunit;

namespace WeComExport.Tests.Api
{
    /// <summary>
    /// An API answer is read incrementally and at most <see cref="WeComApiClient.MaxAnswerBytes"/> of it,
    /// over real loopback HTTP: a server that streams 50 MB sees the connection closed long before it
    /// has written them all, whether or not it announced the length.
    /// </summary>
    public class AnswerSizeLimitTests
    {
        private const long Huge = 50L * 1024 * 1024;

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task A_huge_answer_is_refused_without_reading_it_all(bool announceLength)
        {
            using var server = StreamingServer.Start(Huge, announceLength);
            using WeComSession session = await WeComSession.ConnectAsync("wwcorp", SecureText.From("s3cr3t"), server.BaseUri, CancellationToken.None);

            var ex = await Assert.ThrowsAnyAsync<WeComException>(() => ExportOperations.GetResultAsync(session, "job1", CancellationToken.None));
            Assert.Equal(typeof(WeComException), ex.GetType());
            Assert.Equal("WeComInvalidAnswer", ex.ErrorId);
            Assert.Contains("exceeded 4194304 bytes", ex.Message, StringComparison.Ordinal);

            (long written, bool hungUp) = await server.Finished.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(hungUp, "the client should close the connection instead of reading the rest");
            Assert.True(written < Huge / 2, $"the server got {written} of {Huge} bytes out before the client hung up");
            Assert.Equal(1, server.AnswersStarted);
        }

        [Theory]
        [InlineData(true, 0)]
        [InlineData(false, 0)]
        [InlineData(true, 1)]
        [InlineData(false, 1)]
        public async Task The_limit_is_exactly_the_constant(bool announceLength, int over)
        {
            long size = WeComApiClient.MaxAnswerBytes + over;
            using var server = StreamingServer.Start(size, announceLength);
            using WeComSession session = await WeComSession.ConnectAsync("wwcorp", SecureText.From("s3cr3t"), server.BaseUri, CancellationToken.None);

            if (over == 0)
            {
                WeComExportResult result = await ExportOperations.GetResultAsync(session, "job1", CancellationToken.None);
                Assert.Equal(ExportStatus.Processing, result.Status);
                Assert.Equal((size, false), await server.Finished.Task.WaitAsync(TimeSpan.FromSeconds(30)));
            }
            else
            {
                var ex = await Assert.ThrowsAnyAsync<WeComException>(() => ExportOperations.GetResultAsync(session, "job1", CancellationToken.None));
                Assert.Equal("WeComInvalidAnswer", ex.ErrorId);
                Assert.Contains("exceeded 4194304 bytes", ex.Message, StringComparison.Ordinal);
            }
        }

        /// <summary>
        /// A minimal HTTP/1.1 server on a loopback socket (one request per connection). Its get_result is
        /// a valid answer of a given size, padded with a long field and written 64 KiB at a time straight
        /// to the socket, so the count of bytes written is what the client's side actually accepted.
        /// </summary>
        private sealed class StreamingServer : IDisposable
        {
            private const string Token = "{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"tok-abcdef123456\",\"expires_in\":7200}";
            private static readonly byte[] Head = Encoding.ASCII.GetBytes("{\"errcode\":0,\"errmsg\":\"ok\",\"status\":1,\"pad\":\"");
            private static readonly byte[] Tail = Encoding.ASCII.GetBytes("\"}");
            private readonly TcpListener listener = new(IPAddress.Loopback, 0);
            private readonly long size;
            private readonly bool announceLength;
            private int answersStarted;

            private StreamingServer(long size, bool announceLength)
            {
                this.size = size;
                this.announceLength = announceLength;
            }

            public Uri BaseUri => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

            /// <summary>Completes with the answer's body bytes written, and whether the client hung up first.</summary>
            public TaskCompletionSource<(long Written, bool HungUp)> Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

            public int AnswersStarted => Volatile.Read(ref answersStarted);

            public static StreamingServer Start(long size, bool announceLength)
            {
                var server = new StreamingServer(size, announceLength);
                server.listener.Start();
                _ = server.AcceptAsync();
                return server;
            }

            public void Dispose() => listener.Stop();

            private async Task AcceptAsync()
            {
                while (true)
                {
                    TcpClient client;
                    try
                    {
                        client = await listener.AcceptTcpClientAsync();
                    }
                    catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                    {
                        return;
                    }

                    _ = ServeAsync(client);
                }
            }

            private async Task ServeAsync(TcpClient client)
            {
                using (client)
                {
                    NetworkStream stream = client.GetStream();
                    string path = await ReadRequestPathAsync(stream);
                    if (path.StartsWith("/cgi-bin/gettoken", StringComparison.Ordinal))
                    {
                        byte[] body = Encoding.ASCII.GetBytes(Token);
                        await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                        await stream.WriteAsync(body);
                        return;
                    }

                    Interlocked.Increment(ref answersStarted);
                    await AnswerAsync(stream);
                }
            }

            private async Task AnswerAsync(NetworkStream stream)
            {
                long written = 0;
                try
                {
                    string framing = announceLength ? "Content-Length: " + size.ToString(CultureInfo.InvariantCulture) : "Transfer-Encoding: chunked";
                    await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{framing}\r\nConnection: close\r\n\r\n");
                    byte[] pad = Enumerable.Repeat((byte)'a', 64 * 1024).ToArray();
                    written += await WritePartAsync(stream, Head);
                    while (written < size - Tail.Length)
                    {
                        written += await WritePartAsync(stream, pad.AsMemory(0, (int)Math.Min(pad.Length, size - Tail.Length - written)));
                    }

                    written += await WritePartAsync(stream, Tail);
                    if (!announceLength)
                    {
                        await WriteAsync(stream, "0\r\n\r\n");
                    }

                    Finished.TrySetResult((written, false));
                }
                catch (IOException)
                {
                    Finished.TrySetResult((written, true));
                }
            }

            private async Task<int> WritePartAsync(NetworkStream stream, ReadOnlyMemory<byte> part)
            {
                if (!announceLength)
                {
                    await WriteAsync(stream, part.Length.ToString("X", CultureInfo.InvariantCulture) + "\r\n");
                }

                await stream.WriteAsync(part);
                if (!announceLength)
                {
                    await WriteAsync(stream, "\r\n");
                }

                return part.Length;
            }

            private static async Task WriteAsync(NetworkStream stream, string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text));

            /// <summary>Reads the request head up to its blank line and returns the request line's path.</summary>
            private static async Task<string> ReadRequestPathAsync(NetworkStream stream)
            {
                var head = new StringBuilder();
                byte[] one = new byte[1];
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one) == 1)
                {
                    head.Append((char)one[0]);
                }

                string[] requestLine = head.ToString().Split("\r\n")[0].Split(' ');
                return requestLine.Length > 1 ? requestLine[1] : string.Empty;
            }
        }
    }
}

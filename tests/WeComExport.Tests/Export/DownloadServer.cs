using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WeComExport.Api;
using WeComExport.Crypto;
using WeComExport.Export;
using WeComExport.Security;

namespace WeComExport.Tests.Export
{
    /// <summary>
    /// A loopback stand-in for WeCom over real HTTP (Kestrel on 127.0.0.1:0) whose block download the
    /// test scripts: gettoken and get_result answer as WeCom does and announce one block of
    /// department records; each request to <c>/block</c> goes to the script with its attempt number
    /// (1, 2, ...), so a test can play a server that lies about sizes, redirects, drops, or ignores Range.
    /// </summary>
    internal sealed class DownloadServer : IAsyncDisposable
    {
        public const string AuthKey = "AUTHKEY-must-never-show-0123456789";
        public const int Departments = 3000;

        private readonly WebApplication app;
        private int attempts;

        private DownloadServer(WebApplication app, Uri baseUri, byte[] served)
        {
            this.app = app;
            BaseUri = baseUri;
            Served = served;
            AnnouncedSize = served.Length;
            AnnouncedMd5 = Convert.ToHexStringLower(MD5.HashData(served));
            AnnouncedUrl = new Uri(baseUri, "/block?fileid=f1&authkey=" + AuthKey + "&filename=data_0.json");
        }

        /// <summary>Serves one download request; the int is the attempt number, from 1.</summary>
        public delegate Task Script(HttpContext context, int attempt);

        public static EncodingAesKey Key { get; } = EncodingAesKey.Parse("IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2");

        /// <summary>The JSON the block decrypts to: <see cref="Departments"/> departments, ids 1..N.</summary>
        public static byte[] Plaintext { get; } = Encoding.UTF8.GetBytes(
            "{\"department\":[" + string.Join(",", Enumerable.Range(1, Departments).Select(i => string.Create(CultureInfo.InvariantCulture, $"{{\"id\":{i},\"name\":\"部门{i}\",\"parentid\":1,\"order\":{i}}}"))) + "]}");

        /// <summary>The block as WeCom serves it: raw ciphertext.</summary>
        public static byte[] Ciphertext { get; } = WeComCipher.Encrypt(Key, Plaintext);

        public Uri BaseUri { get; }

        /// <summary>The bytes the block's honest answer carries (the ciphertext, or its Base64 text).</summary>
        public byte[] Served { get; }

        public long AnnouncedSize { get; set; }

        public string AnnouncedMd5 { get; set; }

        /// <summary>The block URL get_result hands out; by default this server's <c>/block</c>.</summary>
        public Uri AnnouncedUrl { get; set; }

        public Script? Serve { get; set; }

        /// <summary>How many blocks get_result lists (each the same block); 1 by default.</summary>
        public int ListedBlocks { get; set; } = 1;

        /// <summary>When set, get_result answers 302 to this address instead of its JSON.</summary>
        public Uri? RedirectGetResultTo { get; set; }

        /// <summary>Every request seen, in order: path and query, Range, Accept-Encoding.</summary>
        public ConcurrentQueue<(string PathAndQuery, string Range, string AcceptEncoding)> Requests { get; } = new();

        /// <summary>The requests for the block (its URL and any redirect hops below /block).</summary>
        public (string PathAndQuery, string Range, string AcceptEncoding)[] Downloads => Requests.Where(r => r.PathAndQuery.StartsWith("/block", StringComparison.Ordinal)).ToArray();

        public int DownloadCount => Downloads.Length;

        /// <summary>The Range header of each block request, "" where there was none.</summary>
        public string[] DownloadRanges => Downloads.Select(r => r.Range).ToArray();

        public static async Task<DownloadServer> StartAsync(Script serve, byte[]? served = null)
        {
            WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
            {
                k.AddServerHeader = false;
                k.Listen(IPAddress.Loopback, 0);
            });
            WebApplication app = builder.Build();
            DownloadServer? server = null;
            app.Run(ctx => server!.HandleAsync(ctx));
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server = new DownloadServer(app, new Uri(address), served ?? Ciphertext) { Serve = serve };
            return server;
        }

        /// <summary>The honest answer to a download: the whole block with 200, or the asked range with 206.</summary>
        public static Task HonestAsync(HttpContext ctx, byte[] body)
        {
            long start = RangeStart(ctx);
            if (start > 0)
            {
                ctx.Response.StatusCode = StatusCodes.Status206PartialContent;
                ctx.Response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {start}-{body.Length - 1}/{body.Length}");
            }

            ctx.Response.ContentLength = body.Length - start;
            return ctx.Response.Body.WriteAsync(body.AsMemory((int)start)).AsTask();
        }

        /// <summary>The whole block under its full Content-Length, <paramref name="piece"/> bytes every 100 ms.</summary>
        public static async Task PacedAsync(HttpContext ctx, byte[] body, int piece)
        {
            ctx.Response.ContentLength = body.Length;
            for (int sent = 0; sent < body.Length; sent += piece)
            {
                await ctx.Response.Body.WriteAsync(body.AsMemory(sent, Math.Min(piece, body.Length - sent)), ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                await Task.Delay(100, ctx.RequestAborted);
            }
        }

        /// <summary>
        /// Sends the first <paramref name="count"/> bytes of the whole block under a full Content-Length, then
        /// closes the connection. Written to the socket itself and closed with a FIN, so the client surely
        /// gets those bytes before the connection ends (Kestrel's own abort may discard what it still buffers).
        /// </summary>
        public static Task DropAfterAsync(HttpContext ctx, byte[] body, int count)
        {
            Socket socket = ctx.Features.Get<IConnectionSocketFeature>()!.Socket;
            socket.Send(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {body.Length}\r\n\r\n")));
            socket.Send(body, 0, count, SocketFlags.None);
            socket.Shutdown(SocketShutdown.Send);
            ctx.Abort();
            return Task.CompletedTask;
        }

        /// <summary>The first <paramref name="count"/> bytes of the block as one chunk of a chunked body (no Content-Length), then the connection closed.</summary>
        public static Task ChunkedDropAfterAsync(HttpContext ctx, byte[] body, int count, string mediaType)
        {
            Socket socket = ctx.Features.Get<IConnectionSocketFeature>()!.Socket;
            socket.Send(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 200 OK\r\nContent-Type: {mediaType}\r\nTransfer-Encoding: chunked\r\n\r\n{count:x}\r\n")));
            socket.Send(body, 0, count, SocketFlags.None);
            socket.Send(Encoding.ASCII.GetBytes("\r\n"));
            socket.Shutdown(SocketShutdown.Send);
            ctx.Abort();
            return Task.CompletedTask;
        }

        /// <summary>The start of a "Range: bytes=N-" request, 0 without one.</summary>
        public static long RangeStart(HttpContext ctx)
        {
            string range = ctx.Request.Headers.Range.ToString();
            return range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-')
                ? long.Parse(range[6..^1], CultureInfo.InvariantCulture)
                : 0;
        }

        public async Task<WeComSession> ConnectAsync()
        {
            WeComSession session = await WeComSession.ConnectAsync("wwdownloadtest", SecureText.From("secret-of-the-download-test"), BaseUri, CancellationToken.None);
            session.RetryPolicy.Delay = (_, _) => Task.CompletedTask;
            return session;
        }

        public static WeComExportJob Job() => new("jobid_download_test", ExportKind.Department, "wwdownloadtest") { Key = Key };

        public async ValueTask DisposeAsync()
        {
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            {
                await app.StopAsync(timeout.Token);
            }

            await app.DisposeAsync();
        }

        private async Task HandleAsync(HttpContext ctx)
        {
            string path = ctx.Request.Path.Value ?? string.Empty;
            Requests.Enqueue((path + ctx.Request.QueryString.Value, ctx.Request.Headers.Range.ToString(), ctx.Request.Headers.AcceptEncoding.ToString()));
            ctx.Response.ContentType = "application/json";
            switch (path)
            {
                case "/cgi-bin/gettoken":
                    await ctx.Response.WriteAsync("{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"token-of-the-download-test\",\"expires_in\":7200}");
                    break;
                case "/cgi-bin/export/get_result" when RedirectGetResultTo is not null:
                    ctx.Response.StatusCode = StatusCodes.Status302Found;
                    ctx.Response.Headers.Location = RedirectGetResultTo.OriginalString;
                    break;
                case "/cgi-bin/export/get_result":
                    // The same bytes under a link of each block's own (a link listed twice is an invalid answer).
                    string Item(int block)
                    {
                        string url = JsonEncodedText.Encode(AnnouncedUrl.OriginalString + (block == 0 ? string.Empty : "&block=" + block.ToString(CultureInfo.InvariantCulture))).ToString();
                        return string.Create(CultureInfo.InvariantCulture, $"{{\"url\":\"{url}\",\"size\":{AnnouncedSize},\"md5\":\"{AnnouncedMd5}\"}}");
                    }

                    await ctx.Response.WriteAsync($"{{\"errcode\":0,\"errmsg\":\"ok\",\"status\":2,\"data_list\":[{string.Join(",", Enumerable.Range(0, ListedBlocks).Select(Item))}]}}");
                    break;
                default:
                    ctx.Response.ContentType = "application/octet-stream";
                    await Serve!(ctx, Interlocked.Increment(ref attempts));
                    break;
            }
        }
    }
}

using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace WeComExport.Tests.Api
{
    /// <summary>
    /// A tiny HTTP forward proxy on 127.0.0.1:0 (Kestrel, which accepts absolute-form request targets):
    /// it forwards each "GET http://host:port/path HTTP/1.1" to its target, records the path, and, when
    /// built with a user name and password, answers 407 with a Basic challenge to any request without
    /// exactly that Proxy-Authorization. Plain HTTP only (no CONNECT), which is what the emulator speaks.
    /// </summary>
    internal sealed class ForwardProxy : IAsyncDisposable
    {
        private static readonly string[] HopByHop = { "Connection", "Keep-Alive", "Transfer-Encoding", "Proxy-Authorization", "Proxy-Connection", "Proxy-Authenticate", "TE", "Trailer", "Upgrade", "Host" };

        private readonly WebApplication app;
        private readonly string? requiredAuthorization;
        private readonly HttpClient upstream = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None });
        private int refused;

        private ForwardProxy(WebApplication app, string? requiredAuthorization)
        {
            this.app = app;
            this.requiredAuthorization = requiredAuthorization;
        }

        public Uri Address { get; private set; } = null!;

        /// <summary>The path of every request forwarded, in order (no query: it holds the secret and token).</summary>
        public ConcurrentQueue<string> Forwarded { get; } = new();

        /// <summary>Every Proxy-Authorization header value seen, refused or not.</summary>
        public ConcurrentQueue<string> Authorizations { get; } = new();

        /// <summary>How many requests were answered 407.</summary>
        public int Refused => Volatile.Read(ref refused);

        public static async Task<ForwardProxy> StartAsync(string? userName = null, string? password = null)
        {
            WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
            {
                k.AddServerHeader = false;
                k.Listen(IPAddress.Loopback, 0);
            });
            WebApplication app = builder.Build();
            string? required = userName is null ? null : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userName + ":" + password));
            var proxy = new ForwardProxy(app, required);
            app.Run(proxy.HandleAsync);
            await app.StartAsync();
            proxy.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            return proxy;
        }

        private async Task HandleAsync(HttpContext ctx)
        {
            string rawTarget = ctx.Features.Get<IHttpRequestFeature>()!.RawTarget;
            if (!Uri.TryCreate(rawTarget, UriKind.Absolute, out Uri? target))
            {
                // An origin-form target: the client talked to the proxy as if it were the server.
                ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            string authorization = ctx.Request.Headers["Proxy-Authorization"].ToString();
            if (authorization.Length > 0)
            {
                Authorizations.Enqueue(authorization);
            }

            if (requiredAuthorization is not null && authorization != requiredAuthorization)
            {
                Interlocked.Increment(ref refused);
                ctx.Response.StatusCode = StatusCodes.Status407ProxyAuthenticationRequired;
                ctx.Response.Headers["Proxy-Authenticate"] = "Basic realm=\"test proxy\"";
                ctx.Response.ContentLength = 0;
                return;
            }

            Forwarded.Enqueue(target.AbsolutePath);
            using var forward = new HttpRequestMessage(new HttpMethod(ctx.Request.Method), target);
            if (ctx.Request.ContentLength > 0)
            {
                forward.Content = new StreamContent(ctx.Request.Body);
            }

            foreach (var header in ctx.Request.Headers.Where(h => !HopByHop.Contains(h.Key, StringComparer.OrdinalIgnoreCase)))
            {
                if (!forward.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
                {
                    forward.Content?.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
                }
            }

            using HttpResponseMessage response = await upstream.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, ctx.RequestAborted);
            ctx.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers).Where(h => !HopByHop.Contains(h.Key, StringComparer.OrdinalIgnoreCase)))
            {
                ctx.Response.Headers[header.Key] = header.Value.ToArray();
            }

            await response.Content.CopyToAsync(ctx.Response.Body, ctx.RequestAborted);
        }

        public async ValueTask DisposeAsync()
        {
            upstream.Dispose();
            await app.DisposeAsync();
        }
    }
}

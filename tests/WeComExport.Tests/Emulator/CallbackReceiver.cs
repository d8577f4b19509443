using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace WeComExport.Tests.Emulator
{
    /// <summary>A tiny real HTTP server that records the callbacks it gets; it can fail the first N with 500.</summary>
    internal sealed class CallbackReceiver : IAsyncDisposable
    {
        private readonly WebApplication app;
        private int failuresLeft;

        private CallbackReceiver(WebApplication app, Uri url)
        {
            this.app = app;
            Url = url;
        }

        public Uri Url { get; }

        public ConcurrentQueue<(string Query, string Body)> Received { get; } = new();

        public SemaphoreSlim Arrived { get; } = new(0);

        public static async Task<CallbackReceiver> StartAsync(int failFirst = 0)
        {
            WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            WebApplication app = builder.Build();
            CallbackReceiver? receiver = null;
            app.Run(async ctx =>
            {
                using var reader = new StreamReader(ctx.Request.Body);
                string body = await reader.ReadToEndAsync();
                if (Interlocked.Decrement(ref receiver!.failuresLeft) >= 0)
                {
                    ctx.Response.StatusCode = 500;
                    return;
                }

                receiver.Received.Enqueue((ctx.Request.QueryString.Value ?? string.Empty, body));
                receiver.Arrived.Release();
                await ctx.Response.WriteAsync("success");
            });
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            receiver = new CallbackReceiver(app, new Uri(address + "/wecom/callback?app=export")) { failuresLeft = failFirst };
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Arrived.Dispose();
        }
    }
}

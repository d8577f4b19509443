using System;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WeComExport.Emulator.Api;
using WeComExport.Emulator.Control;

namespace WeComExport.Emulator.Hosting
{
    /// <summary>Routes a request to the WeCom API, the block downloads or the control endpoints; anything else is a 404.</summary>
    internal sealed class RequestDispatcher
    {
        private readonly ApiHandler api;
        private readonly DownloadHandler downloads;
        private readonly ControlHandler control;

        public RequestDispatcher(EmulatorState state)
        {
            api = new ApiHandler(state);
            downloads = new DownloadHandler(state);
            control = new ControlHandler(state);
        }

        public Task HandleAsync(HttpContext ctx)
        {
            string path = ctx.Request.Path.Value ?? "/";
            if (path.StartsWith("/cgi-bin/", StringComparison.Ordinal))
            {
                return ApiGuardedAsync(ctx, path);
            }

            if (path == DownloadHandler.Path)
            {
                return downloads.HandleAsync(ctx);
            }

            if (path.StartsWith("/_emulator/", StringComparison.Ordinal))
            {
                // The control endpoints have no authentication (they switch faults, read deliveries, shut the
                // emulator down): with --bind beyond loopback, only a local client may use them. Health stays open.
                if (path != "/_emulator/health" && !IsLocal(ctx.Connection.RemoteIpAddress))
                {
                    return JsonAnswer.ErrorAsync(ctx, StatusCodes.Status403Forbidden, "the /_emulator control endpoints answer loopback clients only");
                }

                return control.HandleAsync(ctx, path);
            }

            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        /// <summary>Loopback (IPv4, IPv6 or IPv4-mapped), or no address at all (an in-memory transport).</summary>
        internal static bool IsLocal(IPAddress? remote) =>
            remote is null || IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);

        /// <summary>An unexpected failure inside the API still answers in WeCom's way (errcode -1) rather than with a bare 500.</summary>
        private async Task ApiGuardedAsync(HttpContext ctx, string path)
        {
            try
            {
                await api.HandleAsync(ctx, path);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !ctx.Response.HasStarted)
            {
                await Console.Error.WriteLineAsync($"emulator: {path} failed: {ex.GetType().Name}: {ex.Message}");
                ctx.Response.Clear();
                await WeComErrors.WriteAsync(ctx, WeComErrors.SystemBusy);
            }
        }
    }
}

using System;
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
                return control.HandleAsync(ctx, path);
            }

            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

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

using System.Globalization;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WeComExport.Emulator.Api;

namespace WeComExport.Emulator.Faults
{
    /// <summary>Applies the faults that can hit any request before it is served: slow, HTTP 5xx, and (on /cgi-bin) the errcode bursts.</summary>
    internal static class FaultInjection
    {
        /// <summary>Delays if "slow" fires; answers 5xx if "http-500" fires. True when the request has been answered.</summary>
        public static async Task<bool> TransportFaultAnsweredAsync(FaultRegistry faults, HttpContext ctx, string? corpId, string path)
        {
            if (faults.TryFire(FaultKind.Slow, corpId, path) is FaultRule slow)
            {
                await Task.Delay(slow.DelayMs, ctx.RequestAborted);
            }

            if (faults.TryFire(FaultKind.Http500, corpId, path) is FaultRule http)
            {
                ctx.Response.StatusCode = http.Status;
                ctx.Response.ContentType = "text/html";
                await ctx.Response.WriteAsync("<html><body><h1>" + http.Status.ToString(CultureInfo.InvariantCulture) + " emulated server error</h1></body></html>", ctx.RequestAborted);
                return true;
            }

            return false;
        }

        public static async Task<bool> ApiFaultAnsweredAsync(FaultRegistry faults, HttpContext ctx, string? corpId, string path)
        {
            if (await TransportFaultAnsweredAsync(faults, ctx, corpId, path))
            {
                return true;
            }

            int errcode = faults.TryFire(FaultKind.SystemBusy, corpId, path) is not null ? WeComErrors.SystemBusy
                : faults.TryFire(FaultKind.FrequencyLimit, corpId, path) is not null ? WeComErrors.FrequencyLimit
                : faults.TryFire(FaultKind.ConcurrencyLimit, corpId, path) is not null ? WeComErrors.ConcurrencyLimit
                : 0;
            if (errcode == 0)
            {
                return false;
            }

            await WeComErrors.WriteAsync(ctx, errcode, null, ctx.RequestAborted);
            return true;
        }
    }
}

using System;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WeComExport.Emulator.Faults;
using WeComExport.Emulator.Hosting;
using WeComExport.Emulator.Jobs;

namespace WeComExport.Emulator.Api
{
    /// <summary>
    /// The block download URLs: raw ciphertext, HTTP Range (206/416), expiring authkeys (403), and the
    /// download faults (dropped connection, truncated body, corrupted byte, expired URL, error page, 5xx, slow).
    /// </summary>
    internal sealed class DownloadHandler
    {
        public const string Path = "/downloadobject";

        private readonly EmulatorState state;

        public DownloadHandler(EmulatorState state)
        {
            this.state = state;
        }

        public async Task HandleAsync(HttpContext ctx)
        {
            state.Requests.Count(Path);
            bool head = HttpMethods.IsHead(ctx.Request.Method);
            if (!head && !HttpMethods.IsGet(ctx.Request.Method))
            {
                await PlainAsync(ctx, StatusCodes.Status405MethodNotAllowed, "method not allowed");
                return;
            }

            string fileId = ctx.Request.Query["fileid"].ToString();
            BlockFile? block = state.Jobs.FindBlock(fileId);
            if (block is null)
            {
                // A fileid with a genuine authkey was ours: its job has been forgotten (past --job-lifetime, or
                // DELETE /_emulator/jobs), which a client handles like an expired URL. Anything else is unknown.
                bool issued = state.Urls.Check(fileId, ctx.Request.Query["authkey"].ToString(), DateTimeOffset.UtcNow) != UrlSigner.Verdict.Invalid;
                await (issued
                    ? PlainAsync(ctx, StatusCodes.Status403Forbidden, "download url expired")
                    : PlainAsync(ctx, StatusCodes.Status404NotFound, "file not found"));
                return;
            }

            string corpId = block.Job.Corp.CorpId;
            if (await FaultInjection.TransportFaultAnsweredAsync(state.Faults, ctx, corpId, Path))
            {
                return;
            }

            UrlSigner.Verdict verdict = state.Urls.Check(fileId, ctx.Request.Query["authkey"].ToString(), DateTimeOffset.UtcNow);
            if (verdict == UrlSigner.Verdict.Invalid)
            {
                await PlainAsync(ctx, StatusCodes.Status403Forbidden, "invalid authkey");
                return;
            }

            if (verdict == UrlSigner.Verdict.Expired || state.Jobs.IsExpired(block.Job, DateTimeOffset.UtcNow) ||
                state.Faults.TryFire(FaultKind.ExpireUrl, corpId, Path) is not null)
            {
                await PlainAsync(ctx, StatusCodes.Status403Forbidden, "download url expired");
                return;
            }

            if (state.Faults.TryFire(FaultKind.ErrorPage, corpId, Path) is not null)
            {
                // As WeCom's media downloads refuse a bad link: 200 and a JSON error where the file would be.
                await JsonAnswer.WriteAsync(ctx, StatusCodes.Status200OK, w =>
                {
                    w.WriteNumber("errcode", -1);
                    w.WriteString("errmsg", "download url expired");
                }, ctx.RequestAborted);
                return;
            }

            ctx.Response.Headers.AcceptRanges = "bytes";
            ctx.Response.Headers.ETag = "\"" + block.Md5 + "\"";
            ByteRange.Outcome outcome = ByteRange.Parse(ctx.Request.Headers.Range.ToString(), block.Size, out ByteRange range);
            if (outcome == ByteRange.Outcome.Unsatisfiable)
            {
                ctx.Response.Headers.ContentRange = "bytes */" + block.Size.ToString(CultureInfo.InvariantCulture);
                await PlainAsync(ctx, StatusCodes.Status416RangeNotSatisfiable, "range not satisfiable");
                return;
            }

            ctx.Response.ContentType = "application/octet-stream";
            ctx.Response.Headers.ContentDisposition = "attachment; filename=" + block.FileName;
            if (outcome == ByteRange.Outcome.Partial)
            {
                ctx.Response.StatusCode = StatusCodes.Status206PartialContent;
                ctx.Response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {range.Start}-{range.End}/{block.Size}");
            }

            if (head)
            {
                ctx.Response.ContentLength = range.Length;
                return;
            }

            if (state.Faults.TryFire(FaultKind.DropConnection, corpId, Path) is not null)
            {
                ctx.Response.ContentLength = range.Length;
                await CopyAsync(ctx, block.Path, range.Start, Math.Max(1, range.Length / 2), corruptAt: -1);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                ctx.Abort();
                return;
            }

            if (state.Faults.TryFire(FaultKind.Truncate, corpId, Path) is not null)
            {
                long shortLength = range.Length - Math.Max(1, range.Length / 4);
                ctx.Response.ContentLength = shortLength;
                await CopyAsync(ctx, block.Path, range.Start, shortLength, corruptAt: -1);
                return;
            }

            ctx.Response.ContentLength = range.Length;
            if (state.Faults.TryFire(FaultKind.CorruptByte, corpId, Path) is not null)
            {
                await CopyAsync(ctx, block.Path, range.Start, range.Length, corruptAt: range.Length / 2);
                return;
            }

            await ctx.Response.SendFileAsync(block.Path, range.Start, range.Length, ctx.RequestAborted);
        }

        private static async Task CopyAsync(HttpContext ctx, string path, long start, long count, long corruptAt)
        {
            byte[] buffer = new byte[64 * 1024];
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, useAsync: true);
            file.Position = start;
            long sent = 0;
            while (sent < count)
            {
                int n = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count - sent)), ctx.RequestAborted);
                if (n == 0)
                {
                    break;
                }

                if (corruptAt >= sent && corruptAt < sent + n)
                {
                    buffer[corruptAt - sent] ^= 0xFF;
                }

                await ctx.Response.Body.WriteAsync(buffer.AsMemory(0, n), ctx.RequestAborted);
                sent += n;
            }
        }

        private static async Task PlainAsync(HttpContext ctx, int status, string text)
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            await ctx.Response.WriteAsync(text, ctx.RequestAborted);
        }
    }
}

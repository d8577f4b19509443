using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WeComExport.Crypto;
using WeComExport.Emulator.Directory;
using WeComExport.Emulator.Faults;
using WeComExport.Emulator.Hosting;
using WeComExport.Emulator.Jobs;
using WeComExport.Export;

namespace WeComExport.Emulator.Api
{
    /// <summary>The /cgi-bin API: gettoken, the four exports, get_result and tag/list, with WeCom's error rules and the switchable faults.</summary>
    internal sealed class ApiHandler
    {
        public const string GetTokenPath = "/cgi-bin/gettoken";
        public const string GetResultPath = "/cgi-bin/export/get_result";
        public const string TagListPath = "/cgi-bin/tag/list";

        private readonly EmulatorState state;

        public ApiHandler(EmulatorState state)
        {
            this.state = state;
        }

        public static ExportKind? KindOfPath(string path) => path switch
        {
            "/cgi-bin/export/simple_user" => ExportKind.SimpleUser,
            "/cgi-bin/export/user" => ExportKind.User,
            "/cgi-bin/export/department" => ExportKind.Department,
            "/cgi-bin/export/taguser" => ExportKind.TagUser,
            _ => null,
        };

        public async Task HandleAsync(HttpContext ctx, string path)
        {
            state.Requests.Count(path);
            string? corpHint = path == GetTokenPath
                ? ctx.Request.Query["corpid"].ToString()
                : state.Tokens.CorpOf(ctx.Request.Query["access_token"].ToString())?.CorpId;
            if (await FaultInjection.ApiFaultAnsweredAsync(state.Faults, ctx, corpHint, path))
            {
                return;
            }

            ExportKind? kind = KindOfPath(path);
            bool isGet = HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method);
            bool isPost = HttpMethods.IsPost(ctx.Request.Method);
            switch (path)
            {
                case GetTokenPath:
                    await (isGet ? GetTokenAsync(ctx) : WeComErrors.WriteAsync(ctx, WeComErrors.RequireGet));
                    break;
                case GetResultPath:
                    await (isGet ? GetResultAsync(ctx, path) : WeComErrors.WriteAsync(ctx, WeComErrors.RequireGet));
                    break;
                case TagListPath:
                    await (isGet ? TagListAsync(ctx, path) : WeComErrors.WriteAsync(ctx, WeComErrors.RequireGet));
                    break;
                default:
                    if (kind is null)
                    {
                        await WeComErrors.WriteAsync(ctx, WeComErrors.ApiForbidden, "no such API in the emulator");
                    }
                    else
                    {
                        await (isPost ? StartExportAsync(ctx, path, kind.Value) : WeComErrors.WriteAsync(ctx, WeComErrors.RequirePost));
                    }

                    break;
            }
        }

        private async Task GetTokenAsync(HttpContext ctx)
        {
            string corpId = ctx.Request.Query["corpid"].ToString();
            string secret = ctx.Request.Query["corpsecret"].ToString();
            if (corpId.Length == 0)
            {
                await WeComErrors.WriteAsync(ctx, WeComErrors.CorpIdMissing);
                return;
            }

            if (secret.Length == 0)
            {
                await WeComErrors.WriteAsync(ctx, WeComErrors.CorpSecretMissing);
                return;
            }

            EmulatorCorp? corp = state.FindCorp(corpId);
            if (corp is null)
            {
                await WeComErrors.WriteAsync(ctx, WeComErrors.InvalidCorpId);
                return;
            }

            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(corp.Secret)))
            {
                await WeComErrors.WriteAsync(ctx, WeComErrors.InvalidCredential, "corpsecret does not match the corpid");
                return;
            }

            (string token, int expiresIn) = state.Tokens.Issue(corp);
            await JsonAnswer.WriteAsync(ctx, 200, w =>
            {
                w.WriteNumber("errcode", 0);
                w.WriteString("errmsg", "ok");
                w.WriteString("access_token", token);
                w.WriteNumber("expires_in", expiresIn);
            });
        }

        /// <summary>Checks access_token; on failure writes the WeCom error and returns null.</summary>
        private async Task<EmulatorCorp?> AuthenticateAsync(HttpContext ctx, string path)
        {
            TokenStore.Verdict verdict = state.Tokens.Check(ctx.Request.Query["access_token"].ToString(), out EmulatorCorp? corp);
            if (verdict == TokenStore.Verdict.Valid && state.Faults.TryFire(FaultKind.RevokeToken, corp!.CorpId, path) is not null)
            {
                state.Tokens.Revoke(corp.CorpId);
                verdict = TokenStore.Verdict.Invalid;
            }

            int errcode = verdict switch
            {
                TokenStore.Verdict.Valid => 0,
                TokenStore.Verdict.Missing => WeComErrors.AccessTokenMissing,
                TokenStore.Verdict.Expired => WeComErrors.AccessTokenExpired,
                _ => WeComErrors.InvalidAccessToken,
            };
            // WeCom checks the caller's IP against the app's trusted IPs at the first business call,
            // not at gettoken (which never authenticates here): so a wrong allow-list shows only now.
            if (errcode == 0 && state.Faults.TryFire(FaultKind.IpNotAllowed, corp!.CorpId, path) is not null)
            {
                errcode = WeComErrors.IpNotAllowed;
            }

            if (errcode != 0)
            {
                await WeComErrors.WriteAsync(ctx, errcode);
                return null;
            }

            return corp;
        }

        private async Task StartExportAsync(HttpContext ctx, string path, ExportKind kind)
        {
            EmulatorCorp? corp = await AuthenticateAsync(ctx, path);
            if (corp is null)
            {
                return;
            }

            // Since 2022 the contacts-sync (通讯录同步) secret may not call the member and department
            // exports (doc 96079); the tag export stays open to it.
            if (corp.ContactAssistant && kind != ExportKind.TagUser)
            {
                await WeComErrors.WriteAsync(ctx, WeComErrors.ContactAssistantForbidden);
                return;
            }

            (JsonDocument? json, string? problem) = await RequestBody.ReadObjectAsync(ctx);
            using (json)
            {
                if (json is null)
                {
                    await WeComErrors.WriteAsync(ctx, WeComErrors.InvalidParameter, problem);
                    return;
                }

                JsonElement body = json.RootElement;
                if (!body.TryGetProperty("encoding_aeskey", out JsonElement keyElement) || keyElement.ValueKind != JsonValueKind.String ||
                    !EncodingAesKey.IsValid(keyElement.GetString()))
                {
                    await WeComErrors.WriteAsync(ctx, WeComErrors.InvalidParameter, "encoding_aeskey must be 43 characters of a-z, A-Z and 0-9");
                    return;
                }

                int blockSize = state.Options.MaxBlockSize;
                if (body.TryGetProperty("block_size", out JsonElement sizeElement) && sizeElement.ValueKind != JsonValueKind.Null)
                {
                    if (sizeElement.ValueKind != JsonValueKind.Number || !sizeElement.TryGetInt32(out blockSize) ||
                        blockSize < state.Options.MinBlockSize || blockSize > state.Options.MaxBlockSize)
                    {
                        await WeComErrors.WriteAsync(ctx, WeComErrors.InvalidParameter, $"block_size must be an integer from {state.Options.MinBlockSize} to {state.Options.MaxBlockSize}");
                        return;
                    }
                }

                TagDefinition? tag = null;
                if (kind == ExportKind.TagUser)
                {
                    if (!body.TryGetProperty("tagid", out JsonElement tagElement) || tagElement.ValueKind != JsonValueKind.Number || !tagElement.TryGetInt64(out long tagId))
                    {
                        await WeComErrors.WriteAsync(ctx, WeComErrors.InvalidParameter, "tagid must be an integer");
                        return;
                    }

                    tag = corp.Directory.FindTag(tagId);
                    if (tag is null)
                    {
                        await WeComErrors.WriteAsync(ctx, WeComErrors.InvalidTagId);
                        return;
                    }
                }

                bool fail = state.Faults.TryFire(FaultKind.FailJob, corp.CorpId, path) is not null;
                bool empty = state.Faults.TryFire(FaultKind.EmptyJob, corp.CorpId, path) is not null;
                var content = new ExportContent(corp.View, kind, tag, empty);
                ExportJob job = state.Jobs.Start(corp, content, EncodingAesKey.Parse(keyElement.GetString()), blockSize, fail);
                await JsonAnswer.WriteAsync(ctx, 200, w =>
                {
                    w.WriteNumber("errcode", 0);
                    w.WriteString("errmsg", "ok");
                    w.WriteString("jobid", job.JobId);
                });
            }
        }

        private async Task GetResultAsync(HttpContext ctx, string path)
        {
            EmulatorCorp? corp = await AuthenticateAsync(ctx, path);
            if (corp is null)
            {
                return;
            }

            ExportJob? job = state.Jobs.Find(ctx.Request.Query["jobid"].ToString(), corp);
            if (job is null)
            {
                await WeComErrors.WriteAsync(ctx, WeComErrors.InvalidJobId, "jobid not found, expired, or not made by this app");
                return;
            }

            ExportStatus status = job.Status;
            string origin = ctx.Request.Scheme + "://" + ctx.Request.Host.Value;
            DateTimeOffset expires = DateTimeOffset.UtcNow + state.Options.UrlLifetime;
            bool done = status == ExportStatus.Done;
            bool empty = done && state.Faults.TryFire(FaultKind.EmptyResult, corp.CorpId, path) is not null;
            bool repeat = done && !empty && job.Blocks.Count > 0 && state.Faults.TryFire(FaultKind.RepeatBlock, corp.CorpId, path) is not null;
            await JsonAnswer.WriteAsync(ctx, 200, w =>
            {
                w.WriteNumber("errcode", 0);
                w.WriteString("errmsg", "ok");
                w.WriteNumber("status", (int)status);
                if (done)
                {
                    void Write(BlockFile block, string extra)
                    {
                        w.WriteStartObject();
                        w.WriteString("url", $"{origin}{DownloadHandler.Path}?fileid={block.FileId}&authkey={state.Urls.AuthKey(block.FileId, expires)}&filename={block.FileName}{extra}");
                        w.WriteNumber("size", block.Size);
                        w.WriteString("md5", block.Md5);
                        w.WriteEndObject();
                    }

                    w.WriteStartArray("data_list");
                    foreach (BlockFile block in empty ? Array.Empty<BlockFile>() : job.Blocks)
                    {
                        Write(block, string.Empty);
                    }

                    if (repeat)
                    {
                        Write(job.Blocks[0], "&copy=1");
                    }

                    w.WriteEndArray();
                }
            });
        }

        private async Task TagListAsync(HttpContext ctx, string path)
        {
            EmulatorCorp? corp = await AuthenticateAsync(ctx, path);
            if (corp is null)
            {
                return;
            }

            await JsonAnswer.WriteAsync(ctx, 200, w =>
            {
                w.WriteNumber("errcode", 0);
                w.WriteString("errmsg", "ok");
                w.WriteStartArray("taglist");
                foreach (TagDefinition tag in corp.Directory.Tags)
                {
                    w.WriteStartObject();
                    w.WriteNumber("tagid", tag.Id);
                    w.WriteString("tagname", tag.Name);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
        }
    }
}

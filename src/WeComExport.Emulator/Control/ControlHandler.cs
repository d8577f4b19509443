using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WeComExport.Crypto;
using WeComExport.Emulator.Api;
using WeComExport.Emulator.Callbacks;
using WeComExport.Emulator.Directory;
using WeComExport.Emulator.Faults;
using WeComExport.Emulator.Hosting;
using WeComExport.Emulator.Jobs;
using WeComExport.Export;

namespace WeComExport.Emulator.Control
{
    /// <summary>
    /// The emulator's own endpoints under /_emulator (outside WeCom's /cgi-bin): health, ground truth,
    /// request counts, faults, callback settings, job cleanup, corps (and their secret kind), directory changes and shutdown. Errors here are
    /// plain HTTP statuses with {"error":"..."}, not WeCom errcodes.
    /// </summary>
    internal sealed class ControlHandler
    {
        private readonly EmulatorState state;

        public ControlHandler(EmulatorState state)
        {
            this.state = state;
        }

        public async Task HandleAsync(HttpContext ctx, string path)
        {
            string method = ctx.Request.Method;
            try
            {
                switch (path, method)
                {
                    case ("/_emulator/health", "GET"):
                        ctx.Response.ContentType = "text/plain";
                        await ctx.Response.WriteAsync("ok");
                        break;
                    case ("/_emulator/truth", "GET"):
                        await TruthAsync(ctx);
                        break;
                    case ("/_emulator/requests", "GET"):
                        await RequestsAsync(ctx);
                        break;
                    case ("/_emulator/requests", "DELETE"):
                        state.Requests.Reset();
                        await RequestsAsync(ctx);
                        break;
                    case ("/_emulator/faults", "GET"):
                        await FaultsAsync(ctx);
                        break;
                    case ("/_emulator/faults", "POST"):
                        await AddFaultAsync(ctx);
                        break;
                    case ("/_emulator/faults", "DELETE"):
                        state.Faults.Clear();
                        await FaultsAsync(ctx);
                        break;
                    case ("/_emulator/callback", "POST"):
                        await SetCallbackAsync(ctx);
                        break;
                    case ("/_emulator/callback", "GET"):
                        await DeliveriesAsync(ctx);
                        break;
                    case ("/_emulator/callback", "DELETE"):
                        await RemoveCallbackAsync(ctx);
                        break;
                    case ("/_emulator/corps", "GET"):
                        await CorpsAsync(ctx);
                        break;
                    case ("/_emulator/corps", "POST"):
                        await SetCorpModeAsync(ctx);
                        break;
                    case ("/_emulator/directory", "POST"):
                        await ChangeDirectoryAsync(ctx);
                        break;
                    case ("/_emulator/directory/changes", "GET"):
                        await DirectoryChangesAsync(ctx, reset: false);
                        break;
                    case ("/_emulator/directory", "DELETE"):
                    case ("/_emulator/directory/changes", "DELETE"):
                        await DirectoryChangesAsync(ctx, reset: true);
                        break;
                    case ("/_emulator/jobs", "DELETE"):
                        int removed = state.Jobs.RemoveFinished();
                        await JsonAnswer.WriteAsync(ctx, 200, w => w.WriteNumber("removed", removed));
                        break;
                    case ("/_emulator/shutdown", "POST"):
                        await JsonAnswer.WriteAsync(ctx, 200, w => w.WriteBoolean("stopping", true));
                        await ctx.Response.CompleteAsync();
                        state.ShutdownRequested.TrySetResult();
                        break;
                    default:
                        await JsonAnswer.ErrorAsync(ctx, 404, $"no control endpoint {method} {path}");
                        break;
                }
            }
            catch (DirectoryChangeException ex) when (ex.ErrCode != 0)
            {
                await JsonAnswer.WriteAsync(ctx, 400, w =>
                {
                    w.WriteString("error", ex.Message);
                    w.WriteNumber("errcode", ex.ErrCode);
                });
            }
            catch (ArgumentException ex)
            {
                await JsonAnswer.ErrorAsync(ctx, 400, ex.Message);
            }
        }

        private static ExportKind ParseKind(string? kind) => kind switch
        {
            "simple_user" => ExportKind.SimpleUser,
            "user" => ExportKind.User,
            "department" => ExportKind.Department,
            "taguser" => ExportKind.TagUser,
            _ => throw new ArgumentException("kind must be simple_user, user, department or taguser."),
        };

        private EmulatorCorp CorpFromQuery(HttpContext ctx, string name = "corpid")
        {
            string corpId = ctx.Request.Query[name].ToString();
            return state.FindCorp(corpId) ?? throw new ArgumentException($"Unknown corpid '{corpId}'.");
        }

        private async Task TruthAsync(HttpContext ctx)
        {
            EmulatorCorp corp = CorpFromQuery(ctx);
            ExportKind kind = ParseKind(ctx.Request.Query["kind"].ToString());
            TagDefinition? tag = null;
            if (kind == ExportKind.TagUser)
            {
                string tagText = ctx.Request.Query["tagid"].ToString();
                tag = long.TryParse(tagText, NumberStyles.Integer, CultureInfo.InvariantCulture, out long tagId) ? corp.Directory.FindTag(tagId) : null;
                if (tag is null)
                {
                    throw new ArgumentException("taguser needs the tagid of one of the corp's tags (see /cgi-bin/tag/list).");
                }
            }

            bool full = string.Equals(ctx.Request.Query["full"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
            await TruthWriter.WriteAsync(ctx, new ExportContent(corp.View, kind, tag), full);
        }

        private Task RequestsAsync(HttpContext ctx) => JsonAnswer.WriteAsync(ctx, 200, w =>
        {
            w.WriteNumber("total", state.Requests.Total);
            w.WriteStartObject("byPath");
            foreach (KeyValuePair<string, int> pair in state.Requests.ByPath())
            {
                w.WriteNumber(pair.Key, pair.Value);
            }

            w.WriteEndObject();
        });

        private Task FaultsAsync(HttpContext ctx) => JsonAnswer.WriteAsync(ctx, 200, w =>
        {
            w.WriteStartArray("faults");
            foreach (FaultRule rule in state.Faults.Snapshot())
            {
                rule.WriteJson(w);
            }

            w.WriteEndArray();
        });

        private async Task AddFaultAsync(HttpContext ctx)
        {
            using JsonDocument json = await ReadJsonAsync(ctx);
            FaultRule rule = state.Faults.Add(FaultRule.FromJson(json.RootElement));
            await JsonAnswer.WriteAsync(ctx, 200, w =>
            {
                w.WritePropertyName("fault");
                rule.WriteJson(w);
            });
        }

        private async Task SetCallbackAsync(HttpContext ctx)
        {
            using JsonDocument json = await ReadJsonAsync(ctx);
            JsonElement body = json.RootElement;
            string Required(string name) =>
                body.TryGetProperty(name, out JsonElement e) && e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s
                    ? s : throw new ArgumentException($"The callback setting '{name}' is required.");
            EmulatorCorp corp = state.FindCorp(Required("corpid")) ?? throw new ArgumentException("Unknown corpid.");
            if (!Uri.TryCreate(Required("url"), UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException("The callback url must be an absolute http or https URL.");
            }

            string key = Required("encodingAesKey");
            string? keyProblem = EncodingAesKey.Validate(key);
            if (keyProblem is not null)
            {
                throw new ArgumentException(keyProblem);
            }

            string tagJobType = body.TryGetProperty("tagJobType", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : CallbackOptions.DefaultTagJobType;
            if (tagJobType is not ("export_taguser" or "export_tag"))
            {
                throw new ArgumentException("tagJobType must be export_taguser or export_tag.");
            }

            corp.Callback = new CallbackOptions(url, Required("token"), key, tagJobType);
            await JsonAnswer.WriteAsync(ctx, 200, w =>
            {
                w.WriteString("corpid", corp.CorpId);
                w.WriteString("url", url.ToString());
                w.WriteString("tagJobType", tagJobType);
            });
        }

        private async Task RemoveCallbackAsync(HttpContext ctx)
        {
            EmulatorCorp corp = CorpFromQuery(ctx);
            corp.Callback = null;
            await JsonAnswer.WriteAsync(ctx, 200, w => w.WriteString("corpid", corp.CorpId));
        }

        private Task DeliveriesAsync(HttpContext ctx) => JsonAnswer.WriteAsync(ctx, 200, w =>
        {
            w.WriteStartArray("deliveries");
            foreach (CallbackDelivery d in state.Callbacks.Deliveries())
            {
                w.WriteStartObject();
                w.WriteString("jobid", d.JobId);
                w.WriteString("corpid", d.CorpId);
                w.WriteString("jobType", d.JobType);
                w.WriteNumber("attempts", d.Attempts);
                w.WriteBoolean("delivered", d.Delivered);
                w.WriteNumber("lastStatus", d.LastStatus);
                if (d.LastError is not null)
                {
                    w.WriteString("lastError", d.LastError);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        });

        private Task CorpsAsync(HttpContext ctx) => JsonAnswer.WriteAsync(ctx, 200, w =>
        {
            w.WriteStartArray("corps");
            foreach (EmulatorCorp corp in state.Corps)
            {
                w.WriteStartObject();
                w.WriteString("corpId", corp.CorpId);
                w.WriteNumber("agentId", corp.AgentId);
                DirectoryView view = corp.View;
                w.WriteNumber("members", view.MemberCount);
                w.WriteNumber("departments", view.DepartmentCount);
                w.WriteBoolean("contactAssistant", corp.ContactAssistant);
                w.WriteStartArray("tags");
                foreach (TagDefinition tag in corp.Directory.Tags)
                {
                    w.WriteNumberValue(tag.Id);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });

        /// <summary>
        /// POST /_emulator/corps {"corpid":"...","contactAssistant":true}: switches a corp's secret between an
        /// app secret and the contacts-sync secret (48009 on the member and department exports). Strict like
        /// the faults: another key, or a value of the wrong type, is refused.
        /// </summary>
        private async Task SetCorpModeAsync(HttpContext ctx)
        {
            using JsonDocument json = await ReadJsonAsync(ctx);
            string? corpId = null;
            bool? contactAssistant = null;
            foreach (JsonProperty property in json.RootElement.EnumerateObject())
            {
                switch (property.Name.ToLowerInvariant())
                {
                    case "corpid" when property.Value.ValueKind == JsonValueKind.String && corpId is null:
                        corpId = property.Value.GetString();
                        break;
                    case "contactassistant" when property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False && contactAssistant is null:
                        contactAssistant = property.Value.GetBoolean();
                        break;
                    default:
                        throw new ArgumentException($"Unknown, repeated or mistyped corp setting '{property.Name}' (corpid: a string, contactAssistant: true or false).");
                }
            }

            EmulatorCorp corp = state.FindCorp(corpId) ?? throw new ArgumentException($"Unknown corpid '{corpId}'.");
            corp.ContactAssistant = contactAssistant ?? throw new ArgumentException("The corp setting 'contactAssistant' is required.");
            await JsonAnswer.WriteAsync(ctx, 200, w =>
            {
                w.WriteString("corpid", corp.CorpId);
                w.WriteBoolean("contactAssistant", corp.ContactAssistant);
            });
        }

        /// <summary>
        /// POST /_emulator/directory?corpid=ID: applies the body's changes to the corp's directory, all or nothing, and
        /// answers what they changed (the ground truth: what an export after differs from one before by).
        /// </summary>
        private async Task ChangeDirectoryAsync(HttpContext ctx)
        {
            EmulatorCorp corp = CorpFromQuery(ctx);
            using JsonDocument json = await ReadJsonAsync(ctx);
            List<DirectoryChange> changes;
            DirectoryView after;
            lock (corp.DirectoryLock)
            {
                (after, changes) = DirectoryEditor.Apply(corp.View, json.RootElement);
                corp.View = after;
            }

            await WriteChangesAsync(ctx, changes, after);
        }

        /// <summary>
        /// GET /_emulator/directory/changes?corpid=ID: every change since the pristine directory, net (an added then
        /// edited member is one Added; an edit undone is nothing). DELETE: back to the pristine directory.
        /// </summary>
        private async Task DirectoryChangesAsync(HttpContext ctx, bool reset)
        {
            EmulatorCorp corp = CorpFromQuery(ctx);
            DirectoryView current;
            if (reset)
            {
                lock (corp.DirectoryLock)
                {
                    current = corp.View = DirectoryView.Pristine(corp.Directory);
                }
            }
            else
            {
                current = corp.View;
            }

            List<DirectoryChange> changes = DirectoryDiff.Compute(DirectoryView.Pristine(corp.Directory), current, current.TouchedMembers, current.TouchedDepartments);
            await WriteChangesAsync(ctx, changes, current);
        }

        private static Task WriteChangesAsync(HttpContext ctx, List<DirectoryChange> changes, DirectoryView view) => JsonAnswer.WriteAsync(ctx, 200, w =>
        {
            w.WriteStartArray("changes");
            foreach (DirectoryChange change in changes)
            {
                change.WriteJson(w);
            }

            w.WriteEndArray();
            w.WriteNumber("memberCount", view.MemberCount);
            w.WriteNumber("departmentCount", view.DepartmentCount);
        });

        private static async Task<JsonDocument> ReadJsonAsync(HttpContext ctx)
        {
            (JsonDocument? json, string? problem) = await RequestBody.ReadObjectAsync(ctx);
            return json ?? throw new ArgumentException(problem);
        }
    }
}

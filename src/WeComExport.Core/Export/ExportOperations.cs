using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Crypto;
using WeComExport.Diagnostics;

namespace WeComExport.Export
{
    /// <summary>Starting an export and reading its state: export/* and export/get_result.</summary>
    public static class ExportOperations
    {
        private const string ResultApi = "export/get_result";

        private static readonly Regex JobIdShape = new(ExportLimits.JobIdPattern, RegexOptions.CultureInvariant);

        public static string ApiPath(ExportKind kind) => kind switch
        {
            ExportKind.SimpleUser => "export/simple_user",
            ExportKind.User => "export/user",
            ExportKind.Department => "export/department",
            ExportKind.TagUser => "export/taguser",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown export kind."),
        };

        /// <summary>Starts a job and returns it with its key and session attached.</summary>
        public static async Task<WeComExportJob> StartAsync(WeComSession session, ExportKind kind, EncodingAesKey key, int? blockSize, long? tagId, CancellationToken cancellationToken)
        {
            if (session is null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            if (key is null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            if (blockSize is < ExportLimits.MinBlockSize or > ExportLimits.MaxBlockSize)
            {
                throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, $"The block size must be between {ExportLimits.MinBlockSize} and {ExportLimits.MaxBlockSize}.");
            }

            if (kind == ExportKind.TagUser && tagId is null)
            {
                throw new ArgumentException("A tag export needs a tag id.", nameof(tagId));
            }

            session.ThrowIfDisconnected();
            byte[] body = WriteJson(writer =>
            {
                if (kind == ExportKind.TagUser)
                {
                    writer.WriteNumber("tagid", tagId!.Value);
                }

                writer.WriteString("encoding_aeskey", key.Reveal());
                if (blockSize is not null)
                {
                    writer.WriteNumber("block_size", blockSize.Value);
                }
            });

            string api = ApiPath(kind);
            JsonElement answer = await session.Api.PostAsync(api, body, cancellationToken).ConfigureAwait(false);
            // The id goes into URLs, file names, logs and the console: it must be one, whoever sent it.
            string jobId = new WeComAnswer(api, answer).String("jobid");
            string? problem = JobIdProblem(jobId);
            if (problem is not null)
            {
                throw WeComAnswer.Invalid(api, $"a 'jobid' that {problem}");
            }

            WeComLog.Verbose($"Started {kind} export job {jobId}.");
            return new WeComExportJob(jobId, kind, session.CorpId, kind == ExportKind.TagUser ? tagId : null, blockSize, DateTimeOffset.Now)
            {
                Key = key,
                Session = session,
            };
        }

        public static async Task<WeComExportResult> GetResultAsync(WeComSession session, string jobId, CancellationToken cancellationToken)
        {
            if (session is null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            ValidateJobId(jobId);
            session.ThrowIfDisconnected();
            JsonElement answer = await session.Api.GetAsync(ResultApi, cancellationToken, ("jobid", jobId)).ConfigureAwait(false);
            return ParseResult(jobId, answer, session.ApiBaseUri);
        }

        // The least time one get_result of a wait with a timeout is given: a check once over a slow link, or with a token
        // to fetch first, still gets its answer.
        private static readonly TimeSpan MinimumPoll = TimeSpan.FromSeconds(10);

        // Beyond this a poll is not cut (CancelAfter's range is about 24.8 days on .NET Framework).
        private static readonly TimeSpan LongestCutPoll = TimeSpan.FromDays(1);

        /// <summary>
        /// Polls get_result until the job is done, at intervals that grow with the time waited
        /// (<see cref="NextPollWait"/>). Throws <see cref="WeComExportFailedException"/> on status 3 and
        /// <see cref="WeComExportTimeoutException"/> when <paramref name="timeout"/> (null = forever) passes.
        /// </summary>
        public static async Task<WeComExportResult> WaitAsync(WeComSession session, string jobId, TimeSpan? timeout, TimeSpan pollInterval, Action<WeComExportResult, TimeSpan>? onPoll, CancellationToken cancellationToken)
        {
            if (pollInterval <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(pollInterval), pollInterval, "The poll interval must be positive.");
            }

            DateTimeOffset started = DateTimeOffset.UtcNow;
            while (true)
            {
                WeComExportResult result = await PollAsync(session, jobId, started, timeout, cancellationToken).ConfigureAwait(false);
                TimeSpan elapsed = DateTimeOffset.UtcNow - started;
                onPoll?.Invoke(result, elapsed);
                switch (result.Status)
                {
                    case ExportStatus.Done:
                        return result;
                    case ExportStatus.Failed:
                        throw new WeComExportFailedException($"Export job {jobId} failed on WeCom's side (status 3).");
                }

                if (timeout is not null && elapsed >= timeout.Value)
                {
                    throw new WeComExportTimeoutException($"Export job {jobId} was still {result.Status} after {elapsed.TotalSeconds:0} s (timeout {timeout.Value.TotalSeconds:0} s).");
                }

                TimeSpan wait = NextPollWait(elapsed, pollInterval);
                if (timeout is not null && elapsed + wait > timeout.Value)
                {
                    wait = timeout.Value - elapsed;
                }

                WeComLog.Verbose(string.Format(CultureInfo.InvariantCulture, "Job {0} is {1}; next check in {2:0.0} s.", jobId, result.Status, wait.TotalSeconds));
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// The wait before the next check of a job: a quarter of the time waited so far, never less than
        /// <paramref name="pollInterval"/> nor more than ten times it. A job is found done at most a quarter of its
        /// running time late (plus one interval), where intervals growing by half each time found it up to half its
        /// time late; a long job is still checked only once every ten intervals.
        /// </summary>
        internal static TimeSpan NextPollWait(TimeSpan elapsed, TimeSpan pollInterval)
        {
            long quarter = elapsed.Ticks / 4;
            long longest = pollInterval.Ticks > long.MaxValue / 10 ? long.MaxValue : pollInterval.Ticks * 10;
            return TimeSpan.FromTicks(Math.Min(longest, Math.Max(pollInterval.Ticks, quarter)));
        }

        /// <summary>
        /// One get_result that ends by the timeout too: a slow answer, or retries of a failing one, must not hold a
        /// runbook past it. A call is given at least <see cref="MinimumPoll"/>, so that -Timeout 0 still checks once, and
        /// none is cut when the timeout is more than a day away (CancelAfter's range; a poll never takes that long).
        /// </summary>
        private static async Task<WeComExportResult> PollAsync(WeComSession session, string jobId, DateTimeOffset started, TimeSpan? timeout, CancellationToken cancellationToken)
        {
            TimeSpan remaining = timeout is null ? TimeSpan.MaxValue : timeout.Value - (DateTimeOffset.UtcNow - started);
            if (remaining > LongestCutPoll)
            {
                return await GetResultAsync(session, jobId, cancellationToken).ConfigureAwait(false);
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(remaining > MinimumPoll ? remaining : MinimumPoll);
            try
            {
                return await GetResultAsync(session, jobId, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException cut) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                TimeSpan elapsed = DateTimeOffset.UtcNow - started;
                string why = cut.InnerException is { } retried
                    ? $"get_result kept failing and was being retried ({Redactor.Redact(retried.Message)})"
                    : "get_result had not answered";
                throw new WeComExportTimeoutException(
                    string.Format(CultureInfo.InvariantCulture, "Export job {0}: {1} when the timeout passed ({2:0} s; timeout {3:0} s).", jobId, why, elapsed.TotalSeconds, timeout!.Value.TotalSeconds),
                    cut.InnerException ?? cut);
            }
        }

        /// <summary>Refuses a job id that is not 1..64 of letters, digits and <c>_-=.</c> (<see cref="ExportLimits.JobIdPattern"/>), without quoting it.</summary>
        public static void ValidateJobId(string? jobId)
        {
            string? problem = JobIdProblem(jobId);
            if (problem is not null)
            {
                throw new ArgumentException($"The job id {problem}.", nameof(jobId));
            }
        }

        /// <summary>
        /// Why <paramref name="jobId"/> is not a job id, or null when it is. Never quotes the id, which
        /// may hold control characters or terminal escapes: names the first wrong character by code point.
        /// </summary>
        internal static string? JobIdProblem(string? jobId)
        {
            if (string.IsNullOrEmpty(jobId))
            {
                return "is empty";
            }

            if (jobId!.Length > ExportLimits.MaxJobIdLength)
            {
                return string.Format(CultureInfo.InvariantCulture, "has {0} characters; WeCom's have at most {1}", jobId.Length, ExportLimits.MaxJobIdLength);
            }

            if (JobIdShape.IsMatch(jobId))
            {
                return null;
            }

            int at = Enumerable.Range(0, jobId.Length).First(i => !JobIdShape.IsMatch(jobId[i].ToString()));
            return string.Format(CultureInfo.InvariantCulture, "has a character other than letters, digits and _-=. (U+{0:X4} at position {1})", (int)jobId[at], at + 1);
        }

        /// <summary>get_result's answer; each block URL must be fetchable by a session whose API address is <paramref name="apiBase"/>.</summary>
        internal static WeComExportResult ParseResult(string jobId, JsonElement answer, Uri apiBase)
        {
            var fields = new WeComAnswer($"{ResultApi} for job {jobId}", answer);
            var status = (ExportStatus)fields.Int32("status", 0, 3);
            var blocks = new List<WeComExportBlock>();
            if (fields.IsAbsentOrNull("data_list"))
            {
                // Done must list its blocks (an empty list: nothing to export); before that, or on failure, there may be none.
                if (status == ExportStatus.Done)
                {
                    throw fields.Invalid("status 2 (done) without a 'data_list' of blocks");
                }
            }
            else
            {
                // A link listed twice would give its block's records twice, silently. (Two links to the same content are
                // told by their MD5 where the blocks are used: WeComExportResult.RepeatedContent.)
                var links = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (JsonElement item in fields.Array("data_list"))
                {
                    int index = blocks.Count;
                    WeComExportBlock block = ParseBlock(index, fields.Item("data_list", index, item, string.Format(CultureInfo.InvariantCulture, " of block {0}", index)), apiBase);
                    if (links.TryGetValue(block.Url.AbsoluteUri, out int sameLink))
                    {
                        throw fields.Invalid(string.Format(CultureInfo.InvariantCulture, "a 'data_list' that lists block {0} twice: block {1} has the same url", sameLink, index));
                    }

                    links.Add(block.Url.AbsoluteUri, index);
                    blocks.Add(block);
                }
            }

            return new WeComExportResult(jobId, status, blocks, DateTimeOffset.Now);
        }

        /// <summary>
        /// One data_list entry. Its URL must pass the download rule for <paramref name="apiBase"/> now, before any connection is made.
        /// Each size is at most <see cref="ExportLimits.MaxBlockBytes"/> (2^40); an answer holds at most
        /// 4 MiB, so fewer than 2^17 entries of 40+ bytes, and their total stays below 2^57: TotalSize cannot overflow.
        /// </summary>
        private static WeComExportBlock ParseBlock(int index, WeComAnswer block, Uri apiBase)
        {
            string url = block.String("url");
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
            {
                throw block.Invalid($"a 'url'{block.Where} that is not an absolute URI");
            }

            string? refused = WeComEndpoint.ValidateDownload(uri, apiBase);
            if (refused is not null)
            {
                throw block.Invalid($"a 'url'{block.Where} that may not be fetched: {refused}");
            }

            long size = block.Int64("size", 0, ExportLimits.MaxBlockBytes);
            string md5 = block.String("md5");
            if (md5.Length != 32 || !md5.All(Uri.IsHexDigit))
            {
                throw block.Invalid($"an 'md5'{block.Where} that is not 32 hexadecimal digits");
            }

            return new WeComExportBlock(index, size, md5.ToLowerInvariant(), uri);
        }

        private static byte[] WriteJson(Action<Utf8JsonWriter> writeProperties)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writeProperties(writer);
                writer.WriteEndObject();
            }

            return buffer.ToArray();
        }
    }
}

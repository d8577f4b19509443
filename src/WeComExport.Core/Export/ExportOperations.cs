using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
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

            JsonElement answer = await session.Api.PostAsync(ApiPath(kind), body, cancellationToken).ConfigureAwait(false);
            string? jobId = answer.TryGetProperty("jobid", out JsonElement j) ? j.GetString() : null;
            if (string.IsNullOrEmpty(jobId))
            {
                throw new WeComException("WeComInvalidAnswer", WeComErrorKind.InvalidData, $"{ApiPath(kind)} answered without a jobid.");
            }

            WeComLog.Verbose($"Started {kind} export job {jobId}.");
            return new WeComExportJob(jobId!, kind, session.CorpId, kind == ExportKind.TagUser ? tagId : null, blockSize, DateTimeOffset.Now)
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
            JsonElement answer = await session.Api.GetAsync("export/get_result", cancellationToken, ("jobid", jobId)).ConfigureAwait(false);
            return ParseResult(jobId, answer);
        }

        /// <summary>
        /// Polls get_result until the job is done, with intervals growing from <paramref name="pollInterval"/>
        /// up to ten times it. Throws <see cref="WeComExportFailedException"/> on status 3 and
        /// <see cref="WeComExportTimeoutException"/> when <paramref name="timeout"/> (null = forever) passes.
        /// </summary>
        public static async Task<WeComExportResult> WaitAsync(WeComSession session, string jobId, TimeSpan? timeout, TimeSpan pollInterval, Action<WeComExportResult, TimeSpan>? onPoll, CancellationToken cancellationToken)
        {
            if (pollInterval <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(pollInterval), pollInterval, "The poll interval must be positive.");
            }

            DateTimeOffset started = DateTimeOffset.UtcNow;
            TimeSpan interval = pollInterval;
            TimeSpan maxInterval = TimeSpan.FromTicks(pollInterval.Ticks * 10);
            while (true)
            {
                WeComExportResult result = await GetResultAsync(session, jobId, cancellationToken).ConfigureAwait(false);
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

                TimeSpan wait = interval;
                if (timeout is not null && elapsed + wait > timeout.Value)
                {
                    wait = timeout.Value - elapsed;
                }

                WeComLog.Verbose(string.Format(CultureInfo.InvariantCulture, "Job {0} is {1}; next check in {2:0.0} s.", jobId, result.Status, wait.TotalSeconds));
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                interval = TimeSpan.FromTicks(Math.Min(maxInterval.Ticks, (long)(interval.Ticks * 1.5)));
            }
        }

        public static void ValidateJobId(string? jobId)
        {
            if (string.IsNullOrWhiteSpace(jobId))
            {
                throw new ArgumentException("The job id is empty.", nameof(jobId));
            }

            if (jobId!.Length > ExportLimits.MaxJobIdLength)
            {
                throw new ArgumentException($"The job id has {jobId.Length} characters; WeCom's have at most {ExportLimits.MaxJobIdLength}.", nameof(jobId));
            }
        }

        internal static WeComExportResult ParseResult(string jobId, JsonElement answer)
        {
            int statusCode = answer.TryGetProperty("status", out JsonElement s) && s.TryGetInt32(out int v) ? v : -1;
            if (statusCode is < 0 or > 3)
            {
                throw new WeComException("WeComInvalidAnswer", WeComErrorKind.InvalidData, $"get_result for {jobId} answered an unknown status.");
            }

            var blocks = new List<WeComExportBlock>();
            if (answer.TryGetProperty("data_list", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in list.EnumerateArray())
                {
                    string? url = item.TryGetProperty("url", out JsonElement u) ? u.GetString() : null;
                    long size = item.TryGetProperty("size", out JsonElement z) && z.TryGetInt64(out long n) ? n : -1;
                    string? md5 = item.TryGetProperty("md5", out JsonElement m) ? m.GetString() : null;
                    if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || size < 0 || md5 is null || md5.Length != 32)
                    {
                        throw new WeComException("WeComInvalidAnswer", WeComErrorKind.InvalidData, $"get_result for {jobId} lists block {blocks.Count} without a valid url, size or md5.");
                    }

                    blocks.Add(new WeComExportBlock(blocks.Count, size, md5.ToLowerInvariant(), uri));
                }
            }

            var status = (ExportStatus)statusCode;
            if (status == ExportStatus.Done && blocks.Count == 0)
            {
                WeComLog.Verbose($"Job {jobId} is done and has no blocks: there is nothing to export.");
            }

            return new WeComExportResult(jobId, status, blocks, DateTimeOffset.Now);
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

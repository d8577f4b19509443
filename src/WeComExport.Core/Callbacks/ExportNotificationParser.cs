using System;
using System.Collections.Generic;
using System.Globalization;
using WeComExport.Export;

namespace WeComExport.Callbacks
{
    /// <summary>Turns a plain (decrypted) callback event into an <see cref="ExportNotification"/>.</summary>
    public static class ExportNotificationParser
    {
        /// <summary>
        /// Parses plain event XML. Throws <see cref="CallbackCryptoException"/> (-40002) for malformed XML, a DTD
        /// or a batch_job_result without a JobId, and <see cref="NotificationException"/> for an oversized input,
        /// an encrypted envelope, a batch_job_result whose JobId is not a job id (<see cref="ExportLimits.JobIdPattern"/>),
        /// or (unless <paramref name="allowOtherEvents"/>) an event other than batch_job_result.
        /// </summary>
        /// <param name="xml">The event XML.</param>
        /// <param name="allowOtherEvents">Return other events too, instead of refusing them.</param>
        /// <param name="receiveId">The receiveid the envelope was decrypted for, recorded on the result.</param>
        public static ExportNotification Parse(string? xml, bool allowOtherEvents = false, string? receiveId = null)
        {
            CallbackXml parsed = CallbackXml.Parse(xml, "notification");
            if (parsed.Fields.ContainsKey("Encrypt") && !parsed.Fields.ContainsKey("MsgType") && !parsed.Fields.ContainsKey("InfoType"))
            {
                throw new NotificationException(
                    NotificationProblem.EncryptedWithoutKey,
                    "The notification is an encrypted envelope (it has <Encrypt>): give the request's msg_signature, timestamp and nonce, and the app's callback Token and EncodingAESKey, so it can be verified and decrypted.");
            }

            string? infoType = parsed.Field("InfoType");
            string? eventName = parsed.Field("Event") ?? infoType;
            parsed.Groups.TryGetValue("BatchJob", out Dictionary<string, string>? batchJob);
            batchJob ??= new Dictionary<string, string>();
            bool isBatchJobResult = BatchJobKinds.IsBatchJobResult(eventName);
            if (!isBatchJobResult && !allowOtherEvents)
            {
                string shown = eventName is null ? "no Event or InfoType" : $"event '{eventName}'";
                throw new NotificationException(
                    NotificationProblem.NotBatchJobResult,
                    $"The notification has {shown}, not batch_job_result.");
            }

            string? jobId = Get(batchJob, "JobId");
            if (isBatchJobResult && string.IsNullOrEmpty(jobId))
            {
                throw new CallbackCryptoException(CallbackCryptoException.ParseXmlError, "The batch_job_result notification has no BatchJob/JobId.");
            }

            // The id flows into the result cmdlets, URLs, file names and the console: the engine's one job-id rule
            // applies, and the message names the length or the first wrong code point, never the id.
            string? jobIdProblem = isBatchJobResult ? ExportOperations.JobIdProblem(jobId) : null;
            if (jobIdProblem is not null)
            {
                throw new NotificationException(
                    NotificationProblem.InvalidJobId,
                    $"The batch_job_result notification's BatchJob/JobId {jobIdProblem}, so it is not a WeCom job id.");
            }

            string? jobType = Get(batchJob, "JobType");
            return new ExportNotification
            {
                CorpId = parsed.Field("ToUserName") ?? parsed.Field("AuthCorpId"),
                FromUserName = parsed.Field("FromUserName"),
                CreateTime = UnixTime(parsed.Field("CreateTime"), "CreateTime"),
                MsgType = parsed.Field("MsgType"),
                Event = eventName,
                SuiteId = parsed.Field("SuiteId"),
                InfoType = infoType,
                TimeStamp = UnixTime(parsed.Field("TimeStamp"), "TimeStamp"),
                JobId = jobId,
                JobType = jobType,
                Kind = BatchJobKinds.FromJobType(jobType),
                ErrCode = Integer(Get(batchJob, "ErrCode"), "BatchJob/ErrCode"),
                ErrMsg = Get(batchJob, "ErrMsg"),
                ReceiveId = receiveId,
                Fields = parsed.Fields,
            };
        }

        private static string? Get(Dictionary<string, string> group, string name) =>
            group.TryGetValue(name, out string? value) ? value : null;

        private static DateTimeOffset? UnixTime(string? text, string name)
        {
            if (text is null)
            {
                return null;
            }

            if (!long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long seconds)
                || seconds < 0 || seconds > 253402300799L)
            {
                throw new CallbackCryptoException(CallbackCryptoException.ParseXmlError, $"The notification's {name} is not a Unix time in seconds.");
            }

            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        private static int? Integer(string? text, string name)
        {
            if (text is null)
            {
                return null;
            }

            if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            {
                throw new CallbackCryptoException(CallbackCryptoException.ParseXmlError, $"The notification's {name} is not an integer.");
            }

            return value;
        }
    }
}

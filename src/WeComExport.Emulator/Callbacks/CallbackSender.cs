using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Callbacks;
using WeComExport.Crypto;
using WeComExport.Emulator.Jobs;
using WeComExport.Export;

namespace WeComExport.Emulator.Callbacks
{
    /// <summary>
    /// Delivers the encrypted batch_job_result event when a job ends, as WeCom does (doc 96298 / 91144):
    /// POST url?msg_signature&amp;timestamp&amp;nonce with the &lt;xml&gt;&lt;Encrypt&gt; envelope; an attempt that
    /// fails or answers non-2xx is retried 3 times.
    /// </summary>
    internal sealed class CallbackSender : IDisposable
    {
        public const int Retries = 3;

        private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(5) };
        private readonly TimeSpan retryDelay;
        private readonly List<CallbackDelivery> deliveries = new();
        private readonly object gate = new();

        public CallbackSender(TimeSpan retryDelay)
        {
            this.retryDelay = retryDelay;
        }

        public IReadOnlyList<CallbackDelivery> Deliveries()
        {
            lock (gate)
            {
                return deliveries.ToArray();
            }
        }

        /// <summary>Drops the delivery record of a job the emulator has forgotten (see JobStore.PurgeExpired).</summary>
        public void Forget(string jobId)
        {
            lock (gate)
            {
                deliveries.RemoveAll(d => string.Equals(d.JobId, jobId, StringComparison.Ordinal));
            }
        }

        public async Task DeliverAsync(ExportJob job, CancellationToken ct)
        {
            CallbackOptions? options = job.Corp.Callback;
            if (options is null)
            {
                return;
            }

            string jobType = job.CallbackJobType(options.TagJobType);
            var delivery = new CallbackDelivery(job.JobId, job.Corp.CorpId, jobType);
            lock (gate)
            {
                deliveries.Add(delivery);
            }

            string xml = EventXml(job, jobType);
            for (int attempt = 0; attempt <= Retries && !ct.IsCancellationRequested; attempt++)
            {
                if (attempt > 0)
                {
                    await Task.Delay(retryDelay, ct);
                }

                delivery.Attempts++;
                try
                {
                    using var request = Envelope(job.Corp, options, xml);
                    using HttpResponseMessage response = await http.SendAsync(request, ct);
                    delivery.LastStatus = (int)response.StatusCode;
                    if (response.IsSuccessStatusCode)
                    {
                        delivery.Delivered = true;
                        return;
                    }
                }
                catch (TaskCanceledException) when (!ct.IsCancellationRequested)
                {
                    delivery.LastError = "timed out";
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    // Anything else (NotSupportedException for a scheme HttpClient cannot speak, a bad key...)
                    // is this attempt's failure too: record it rather than let the delivery task fault unseen.
                    delivery.LastError = ex is HttpRequestException ? ex.Message : ex.GetType().Name + ": " + ex.Message;
                }
            }
        }

        public void Dispose() => http.Dispose();

        /// <summary>The plaintext event, in the layout of doc 96298.</summary>
        internal static string EventXml(ExportJob job, string jobType) =>
            EventXml(job.Corp.CorpId, job.JobId, jobType, job.Status == ExportStatus.Failed);

        internal static string EventXml(string corpId, string jobId, string jobType, bool failed) => string.Create(
            CultureInfo.InvariantCulture,
            $"<xml><ToUserName><![CDATA[{CData(corpId)}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[batch_job_result]]></Event><BatchJob><JobId><![CDATA[{CData(jobId)}]]></JobId><JobType><![CDATA[{CData(jobType)}]]></JobType><ErrCode>{(failed ? -1 : 0)}</ErrCode><ErrMsg><![CDATA[{(failed ? "system error" : "ok")}]]></ErrMsg></BatchJob></xml>");

        /// <summary>The POSTed envelope: ToUserName, Encrypt and AgentID, each as CDATA.</summary>
        internal static string EnvelopeXml(string corpId, string encrypt, int agentId) => string.Create(
            CultureInfo.InvariantCulture,
            $"<xml><ToUserName><![CDATA[{CData(corpId)}]]></ToUserName><Encrypt><![CDATA[{CData(encrypt)}]]></Encrypt><AgentID><![CDATA[{agentId}]]></AgentID></xml>");

        /// <summary>
        /// Text for inside a CDATA section. Entity escaping does not apply there (an "&amp;amp;" would be read
        /// literally); the only thing that cannot appear is "]]&gt;", which is split across two sections, the
        /// rule of WeComExport.Callbacks.CallbackEnvelope.
        /// </summary>
        internal static string CData(string text) => text.Replace("]]>", "]]]]><![CDATA[>", StringComparison.Ordinal);

        private static HttpRequestMessage Envelope(EmulatorCorp corp, CallbackOptions options, string xml)
        {
            string encrypt = CallbackCrypto.Encrypt(EncodingAesKey.Parse(options.EncodingAesKey), xml, corp.CorpId);
            string timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            string nonce = RandomNumberGenerator.GetString("0123456789", 10);
            string signature = CallbackCrypto.Sign(options.Token, timestamp, nonce, encrypt);
            var url = new UriBuilder(options.Url);
            string query = $"msg_signature={signature}&timestamp={timestamp}&nonce={nonce}";
            url.Query = string.IsNullOrEmpty(url.Query) || url.Query == "?" ? query : url.Query.TrimStart('?') + "&" + query;
            string body = EnvelopeXml(corp.CorpId, encrypt, corp.AgentId);
            return new HttpRequestMessage(HttpMethod.Post, url.Uri)
            {
                Content = new StringContent(body, Encoding.UTF8, "text/xml"),
            };
        }
    }
}

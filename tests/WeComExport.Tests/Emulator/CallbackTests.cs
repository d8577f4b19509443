using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using System.Web;
using System.Xml.Linq;
using WeComExport.Callbacks;
using WeComExport.Crypto;
using Xunit;

namespace WeComExport.Tests.Emulator
{
    public class CallbackTests
    {
        private const string Token = "QDG6eK";
        private static readonly string AesKey = EncodingAesKey.Generate().Reveal();

        /// <summary>Turns callbacks on through the control endpoint; a null <paramref name="tagJobType"/> leaves the emulator's default.</summary>
        private static async Task ConfigureAsync(EmulatorHarness emu, CallbackReceiver receiver, string? tagJobType = null) =>
            await emu.PostJsonAsync("/_emulator/callback", JsonSerializer.Serialize(new
            {
                corpid = emu.Corp.CorpId,
                url = receiver.Url.ToString(),
                token = Token,
                encodingAesKey = AesKey,
                tagJobType,
            }));

        /// <summary>Checks the envelope's signature, decrypts it for the corp, and returns the event XML.</summary>
        private static XElement Open(EmulatorHarness emu, (string Query, string Body) received)
        {
            var query = HttpUtility.ParseQueryString(received.Query);
            Assert.Equal("export", query["app"]);
            XElement envelope = XElement.Parse(received.Body);
            Assert.Equal(emu.Corp.CorpId, envelope.Element("ToUserName")!.Value);
            Assert.Equal("1000002", envelope.Element("AgentID")!.Value);
            string encrypt = envelope.Element("Encrypt")!.Value;
            Assert.True(CallbackCrypto.VerifySignature(query["msg_signature"]!, Token, query["timestamp"]!, query["nonce"]!, encrypt));
            Assert.False(CallbackCrypto.VerifySignature(query["msg_signature"]!, "wrong", query["timestamp"]!, query["nonce"]!, encrypt));
            CallbackPlaintext plain = CallbackCrypto.Decrypt(EncodingAesKey.Parse(AesKey), encrypt);
            Assert.Equal(emu.Corp.CorpId, plain.ReceiveId);
            return XElement.Parse(plain.Message);
        }

        private static async Task<(string Query, string Body)> NextAsync(CallbackReceiver receiver)
        {
            Assert.True(await receiver.Arrived.WaitAsync(TimeSpan.FromSeconds(20)), "no callback arrived");
            Assert.True(receiver.Received.TryDequeue(out var item));
            return item;
        }

        [Fact]
        public async Task A_finished_job_posts_an_encrypted_signed_batch_job_result()
        {
            await using var receiver = await CallbackReceiver.StartAsync();
            await using var emu = await EmulatorHarness.StartAsync();
            await ConfigureAsync(emu, receiver);
            string token = await emu.TokenAsync();
            string jobId = await emu.StartExportAsync(token, "user");
            XElement xml = Open(emu, await NextAsync(receiver));
            Assert.Equal(emu.Corp.CorpId, xml.Element("ToUserName")!.Value);
            Assert.Equal("sys", xml.Element("FromUserName")!.Value);
            Assert.Equal("event", xml.Element("MsgType")!.Value);
            Assert.Equal("batch_job_result", xml.Element("Event")!.Value);
            Assert.InRange(long.Parse(xml.Element("CreateTime")!.Value, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
            XElement job = xml.Element("BatchJob")!;
            Assert.Equal(jobId, job.Element("JobId")!.Value);
            Assert.Equal("export_user", job.Element("JobType")!.Value);
            Assert.Equal("0", job.Element("ErrCode")!.Value);
            Assert.Equal("ok", job.Element("ErrMsg")!.Value);
            Assert.Equal(2, (await emu.ResultAsync(token, jobId)).GetProperty("status").GetInt32());
        }

        [Theory]
        [InlineData("simple_user", null, null, "export_simple_user")]
        [InlineData("department", null, null, "export_department")]
        [InlineData("department", null, "export_taguser", "export_department")]
        [InlineData("taguser", 1L, null, "export_tag")]
        [InlineData("taguser", 1L, "export_tag", "export_tag")]
        [InlineData("taguser", 1L, "export_taguser", "export_taguser")]
        public async Task Each_export_has_its_JobType_and_the_tag_spelling_defaults_to_export_tag_and_is_configurable(string kind, long? tagId, string? tagJobType, string expected)
        {
            await using var receiver = await CallbackReceiver.StartAsync();
            await using var emu = await EmulatorHarness.StartAsync();
            await ConfigureAsync(emu, receiver, tagJobType);
            await emu.StartExportAsync(await emu.TokenAsync(), kind, tagId: tagId);
            Assert.Equal(expected, Open(emu, await NextAsync(receiver)).Element("BatchJob")!.Element("JobType")!.Value);
        }

        [Fact]
        public async Task A_failed_job_reports_a_non_zero_ErrCode()
        {
            await using var receiver = await CallbackReceiver.StartAsync();
            await using var emu = await EmulatorHarness.StartAsync();
            await ConfigureAsync(emu, receiver);
            await emu.PostJsonAsync("/_emulator/faults", "{\"kind\":\"fail-job\"}");
            await emu.StartExportAsync(await emu.TokenAsync(), "user");
            Assert.Equal("-1", Open(emu, await NextAsync(receiver)).Element("BatchJob")!.Element("ErrCode")!.Value);
        }

        [Fact]
        public async Task An_unanswered_callback_is_retried()
        {
            await using var receiver = await CallbackReceiver.StartAsync(failFirst: 2);
            await using var emu = await EmulatorHarness.StartAsync(o => o.CallbackRetryDelay = TimeSpan.FromMilliseconds(50));
            await ConfigureAsync(emu, receiver);
            string jobId = await emu.StartExportAsync(await emu.TokenAsync(), "department");
            Assert.Equal(jobId, Open(emu, await NextAsync(receiver)).Element("BatchJob")!.Element("JobId")!.Value);
            // The receiver counts the callback before it answers; give the emulator a moment to read the answer.
            JsonElement delivery = default;
            for (int i = 0; i < 200; i++)
            {
                delivery = (await emu.GetJsonAsync("/_emulator/callback")).GetProperty("deliveries").EnumerateArray().Single();
                if (delivery.GetProperty("delivered").GetBoolean())
                {
                    break;
                }

                await Task.Delay(25);
            }

            Assert.True(delivery.GetProperty("delivered").GetBoolean());
            Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        }

        [Fact]
        public async Task A_delivery_that_throws_something_other_than_an_HTTP_error_records_it_as_lastError()
        {
            await using var emu = await EmulatorHarness.StartAsync(o => o.CallbackRetryDelay = TimeSpan.FromMilliseconds(10));
            // Not reachable through the options or the control endpoint (both want http/https); set directly.
            emu.Corp.Callback = new WeComExport.Emulator.CallbackOptions(new Uri("ftp://127.0.0.1/cb"), Token, AesKey);
            await emu.StartExportAsync(await emu.TokenAsync(), "department");
            JsonElement delivery = default;
            for (int i = 0; i < 400; i++)
            {
                JsonElement list = (await emu.GetJsonAsync("/_emulator/callback")).GetProperty("deliveries");
                if (list.GetArrayLength() == 1 && (delivery = list[0]).GetProperty("attempts").GetInt32() == 4 && delivery.TryGetProperty("lastError", out _))
                {
                    break;
                }

                await Task.Delay(25);
            }

            Assert.Equal(4, delivery.GetProperty("attempts").GetInt32());
            Assert.False(delivery.GetProperty("delivered").GetBoolean());
            Assert.Contains("NotSupportedException", delivery.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("ww]]>x")]
        [InlineData("a&b<c>]]>]]>d")]
        public void Corp_ids_in_CDATA_are_split_at_the_terminator_not_entity_escaped(string corpId)
        {
            XElement envelope = XElement.Parse(WeComExport.Emulator.Callbacks.CallbackSender.EnvelopeXml(corpId, "ENC", 1000002));
            Assert.Equal(corpId, envelope.Element("ToUserName")!.Value);
            Assert.Equal("ENC", envelope.Element("Encrypt")!.Value);
            XElement evt = XElement.Parse(WeComExport.Emulator.Callbacks.CallbackSender.EventXml(corpId, "jobid_x", "export_user", failed: true));
            Assert.Equal(corpId, evt.Element("ToUserName")!.Value);
            Assert.Equal("-1", evt.Element("BatchJob")!.Element("ErrCode")!.Value);
        }

        [Theory]
        [InlineData(null, "export_tag")]
        [InlineData("export_taguser", "export_taguser")]
        public async Task Callbacks_given_in_the_options_apply_to_every_corp_with_export_tag_unless_told_otherwise(string? tagJobType, string expected)
        {
            await using var receiver = await CallbackReceiver.StartAsync();
            await using var emu = await EmulatorHarness.StartAsync(o => o.Callback = tagJobType is null
                ? new WeComExport.Emulator.CallbackOptions(receiver.Url, Token, AesKey)
                : new WeComExport.Emulator.CallbackOptions(receiver.Url, Token, AesKey, tagJobType));
            await emu.StartExportAsync(await emu.TokenAsync(), "taguser", tagId: 2);
            Assert.Equal(expected, Open(emu, await NextAsync(receiver)).Element("BatchJob")!.Element("JobType")!.Value);
        }
    }
}

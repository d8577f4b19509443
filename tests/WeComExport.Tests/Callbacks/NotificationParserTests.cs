using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Callbacks;
using WeComExport.Export;
using Xunit;

namespace WeComExport.Tests.Callbacks
{
    public class NotificationParserTests
    {
        internal const string DocExample = """
            <xml>
              <ToUserName><![CDATA[wx28dbb14e3720FAKE]]></ToUserName>
              <FromUserName><![CDATA[sys]]></FromUserName>
              <CreateTime>1425284517</CreateTime>
              <MsgType><![CDATA[event]]></MsgType>
              <Event><![CDATA[batch_job_result]]></Event>
              <BatchJob>
                <JobId><![CDATA[jobid_S0MrnndvRG5fadSlLwiBqiDDbM143UqTmKP3152FZk4]]></JobId>
                <JobType><![CDATA[export_user]]></JobType>
                <ErrCode>0</ErrCode>
                <ErrMsg><![CDATA[ok]]></ErrMsg>
              </BatchJob>
            </xml>
            """;

        internal const string SuiteExample = """
            <xml>
            	<SuiteId><![CDATA[ww543f52cb62809e5a]]></SuiteId>
            	<InfoType><![CDATA[batch_job_result]]></InfoType>
            	<TimeStamp>1628653600</TimeStamp>
            	<BatchJob>
            		<JobId><![CDATA[jobid_FTR983N1FNGMsoZKXogNzmLwS8cwu150GTufJB]]></JobId>
            		<JobType><![CDATA[export_taguser]]></JobType>
            		<ErrCode>0</ErrCode>
            		<ErrMsg><![CDATA[ok]]></ErrMsg>
            	</BatchJob>
            </xml>
            """;

        [Fact]
        public void The_documented_event_parses_into_every_property()
        {
            ExportNotification n = ExportNotificationParser.Parse(DocExample);
            Assert.Equal("wx28dbb14e3720FAKE", n.CorpId);
            Assert.Equal("sys", n.FromUserName);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1425284517), n.CreateTime);
            Assert.Equal("event", n.MsgType);
            Assert.Equal("batch_job_result", n.Event);
            Assert.Equal("jobid_S0MrnndvRG5fadSlLwiBqiDDbM143UqTmKP3152FZk4", n.JobId);
            Assert.Equal("export_user", n.JobType);
            Assert.Equal(BatchJobKind.User, n.Kind);
            Assert.Equal(ExportKind.User, n.ExportKind);
            Assert.True(n.IsExport);
            Assert.False(n.IsImport);
            Assert.Equal(0, n.ErrCode);
            Assert.True(n.Succeeded);
            Assert.Equal("ok", n.ErrMsg);
            Assert.Null(n.ReceiveId);
            Assert.Null(n.SuiteId);
            Assert.Equal("sys", n.Fields["FromUserName"]);
        }

        [Fact]
        public void A_third_party_suite_event_gives_suite_id_info_type_and_timestamp()
        {
            ExportNotification n = ExportNotificationParser.Parse(SuiteExample);
            Assert.Equal("ww543f52cb62809e5a", n.SuiteId);
            Assert.Equal("batch_job_result", n.InfoType);
            Assert.Equal("batch_job_result", n.Event);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1628653600), n.TimeStamp);
            Assert.Null(n.CorpId);
            Assert.Null(n.CreateTime);
            Assert.Equal(BatchJobKind.TagUser, n.Kind);
            Assert.True(n.IsBatchJobResult);
        }

        [Theory]
        [InlineData("export_simple_user", BatchJobKind.SimpleUser, ExportKind.SimpleUser)]
        [InlineData("export_user", BatchJobKind.User, ExportKind.User)]
        [InlineData("export_department", BatchJobKind.Department, ExportKind.Department)]
        [InlineData("export_taguser", BatchJobKind.TagUser, ExportKind.TagUser)]
        [InlineData("export_tag", BatchJobKind.TagUser, ExportKind.TagUser)]
        [InlineData("EXPORT_TAG", BatchJobKind.TagUser, ExportKind.TagUser)]
        public void Export_job_types_map_to_their_kind(string jobType, BatchJobKind kind, ExportKind exportKind)
        {
            ExportNotification n = ExportNotificationParser.Parse(DocExample.Replace("export_user", jobType, StringComparison.Ordinal));
            Assert.Equal(jobType, n.JobType);
            Assert.Equal(kind, n.Kind);
            Assert.Equal(exportKind, n.ExportKind);
            Assert.True(n.IsExport);
        }

        [Theory]
        [InlineData("sync_user", BatchJobKind.SyncUser)]
        [InlineData("replace_user", BatchJobKind.ReplaceUser)]
        [InlineData("invite_user", BatchJobKind.InviteUser)]
        [InlineData("replace_party", BatchJobKind.ReplaceParty)]
        public void Import_job_types_are_recognised_as_imports(string jobType, BatchJobKind kind)
        {
            ExportNotification n = ExportNotificationParser.Parse(DocExample.Replace("export_user", jobType, StringComparison.Ordinal));
            Assert.Equal(kind, n.Kind);
            Assert.True(n.IsImport);
            Assert.False(n.IsExport);
            Assert.Null(n.ExportKind);
        }

        [Fact]
        public void An_unknown_job_type_is_kept_as_sent_with_kind_unknown()
        {
            ExportNotification n = ExportNotificationParser.Parse(DocExample.Replace("export_user", "export_moon", StringComparison.Ordinal));
            Assert.Equal("export_moon", n.JobType);
            Assert.Equal(BatchJobKind.Unknown, n.Kind);
            Assert.False(n.IsExport);
            Assert.False(n.IsImport);
        }

        [Fact]
        public void A_failed_job_keeps_its_error_code_and_message()
        {
            string xml = DocExample.Replace("<ErrCode>0</ErrCode>", "<ErrCode>60011</ErrCode>", StringComparison.Ordinal)
                .Replace("[ok]", "[no privilege &amp; 无权限]", StringComparison.Ordinal);
            ExportNotification n = ExportNotificationParser.Parse(xml);
            Assert.Equal(60011, n.ErrCode);
            Assert.False(n.Succeeded);
            Assert.Equal("no privilege &amp; 无权限", n.ErrMsg);

            ExportNotification escaped = ExportNotificationParser.Parse(DocExample.Replace("<![CDATA[ok]]>", "a &amp; b &#x4e2d;", StringComparison.Ordinal));
            Assert.Equal("a & b 中", escaped.ErrMsg);
        }

        [Fact]
        public void Another_event_is_refused_unless_asked_for()
        {
            const string xml = "<xml><ToUserName>wx1</ToUserName><MsgType>event</MsgType><Event>change_contact</Event><ChangeType>delete_user</ChangeType><UserID>zhangsan</UserID></xml>";
            var ex = Assert.Throws<NotificationException>(() => ExportNotificationParser.Parse(xml));
            Assert.Equal(NotificationProblem.NotBatchJobResult, ex.Problem);
            Assert.Contains("change_contact", ex.Message, StringComparison.Ordinal);

            ExportNotification n = ExportNotificationParser.Parse(xml, allowOtherEvents: true);
            Assert.False(n.IsBatchJobResult);
            Assert.Equal("change_contact", n.Event);
            Assert.Null(n.JobId);
            Assert.Equal("delete_user", n.Fields["ChangeType"]);
        }

        [Fact]
        public void An_event_name_with_line_breaks_and_escapes_is_shown_escaped_in_the_message()
        {
            const string xml = "<xml><MsgType>event</MsgType><Event>x&#x0d;&#x0a;WARNING: fake&#x9b;2J&#x202e;txt</Event></xml>";
            var ex = Assert.Throws<NotificationException>(() => ExportNotificationParser.Parse(xml));
            Assert.Equal(NotificationProblem.NotBatchJobResult, ex.Problem);
            Assert.DoesNotContain(ex.Message, c => char.IsControl(c) || c == '\u202e');
            Assert.Contains("x\\u000D\\u000AWARNING: fake\\u009B2J\\u202Etxt", ex.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("../evil\nWARNING: FAKE", "U+002F at position 3")]
        [InlineData("jobid_ok\r\nWARNING: FAKE", "U+000A at position 9")]
        [InlineData("jobid with space", "U+0020")]
        [InlineData("jobid_\u202eEVIL", "U+202E")]
        [InlineData("jobK\u212A", "U+212A")]
        [InlineData("jobid_<script>", "U+003C")]
        [InlineData("jobid_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "has 65 characters; WeCom's have at most 64")]
        public void A_job_id_that_is_not_one_is_refused_without_echoing_it(string jobId, string mention)
        {
            string xml = DocExample.Replace("jobid_S0MrnndvRG5fadSlLwiBqiDDbM143UqTmKP3152FZk4", jobId, StringComparison.Ordinal);
            var ex = Assert.Throws<NotificationException>(() => ExportNotificationParser.Parse(xml));

            Assert.Equal(NotificationProblem.InvalidJobId, ex.Problem);
            Assert.Equal("WeComNotificationInvalidJobId", ex.ErrorId);
            Assert.Equal(WeComErrorKind.InvalidData, ex.Kind);
            Assert.Contains("do not act on it", ex.Hint, StringComparison.Ordinal);
            Assert.Contains("JobId", ex.Message, StringComparison.Ordinal);
            Assert.Contains(mention, ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(ex.Message, c => char.IsControl(c) || c > '\u007e');
            foreach (string echoed in new[] { "evil", "EVIL", "FAKE", "space", "script", "xxxxxxxx", "jobK" })
            {
                Assert.DoesNotContain(echoed, ex.Message, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void The_job_id_of_another_event_passed_through_is_not_checked()
        {
            const string xml = "<xml><MsgType>event</MsgType><Event>change_contact</Event><BatchJob><JobId>../x</JobId></BatchJob></xml>";
            Assert.Equal("../x", ExportNotificationParser.Parse(xml, allowOtherEvents: true).JobId);
        }

        [Fact]
        public void An_encrypted_envelope_without_crypto_parameters_is_a_clear_error()
        {
            var m = CallbackVectors.Instance.Messages[0];
            var ex = Assert.Throws<NotificationException>(() => ExportNotificationParser.Parse(m.Body));
            Assert.Equal(NotificationProblem.EncryptedWithoutKey, ex.Problem);
            Assert.Contains("msg_signature", ex.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("not xml")]
        [InlineData("<xml><ToUserName>a</ToUserName>")]
        [InlineData("<xml></xml><xml></xml>")]
        [InlineData("<root><Event>batch_job_result</Event></root>")]
        [InlineData("<xml><Event>batch_job_result</Event><Event>batch_job_result</Event></xml>")]
        [InlineData("<xml><Event>batch_job_result</Event><BatchJob><JobType>export_user</JobType></BatchJob></xml>")]
        [InlineData("<xml><Event>batch_job_result</Event><BatchJob><JobId>a</JobId><JobId>b</JobId></BatchJob></xml>")]
        [InlineData("<xml><Event>batch_job_result</Event><CreateTime>yesterday</CreateTime><BatchJob><JobId>a</JobId></BatchJob></xml>")]
        [InlineData("<xml><Event>batch_job_result</Event><BatchJob><JobId>a</JobId><ErrCode>zero</ErrCode></BatchJob></xml>")]
        public void Malformed_or_incomplete_xml_fails_with_40002(string xml)
        {
            var ex = Assert.Throws<CallbackCryptoException>(() => ExportNotificationParser.Parse(xml));
            Assert.Equal(-40002, ex.ErrorCode);
        }

        [Fact]
        public void Input_over_the_limit_is_refused_before_parsing()
        {
            string xml = DocExample.Replace("</xml>", "<!--" + new string('x', CallbackLimits.MaxInputLength) + "--></xml>", StringComparison.Ordinal);
            var ex = Assert.Throws<NotificationException>(() => ExportNotificationParser.Parse(xml));
            Assert.Equal(NotificationProblem.TooLarge, ex.Problem);
            Assert.Contains(CallbackLimits.MaxInputLength.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Input_at_the_limit_is_accepted()
        {
            string padding = new string(' ', CallbackLimits.MaxInputLength - DocExample.Length);
            ExportNotification n = ExportNotificationParser.Parse(DocExample + padding);
            Assert.Equal("export_user", n.JobType);
        }

        [Fact]
        public void Billion_laughs_is_refused_without_expansion()
        {
            const string xml = """
                <?xml version="1.0"?>
                <!DOCTYPE xml [
                  <!ENTITY a "aaaaaaaaaa">
                  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
                  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
                  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
                  <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
                  <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
                  <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
                  <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
                ]>
                <xml><Event>batch_job_result</Event><BatchJob><JobId>&h;</JobId></BatchJob></xml>
                """;
            var ex = Assert.Throws<CallbackCryptoException>(() => ExportNotificationParser.Parse(xml));
            Assert.Equal(-40002, ex.ErrorCode);
            Assert.Contains("DTD", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void An_external_entity_is_refused_without_reading_the_file()
        {
            string secretFile = Path.Combine(Path.GetTempPath(), "wecom-xxe-" + Guid.NewGuid().ToString("N") + ".txt");
            File.WriteAllText(secretFile, "CANARY-FILE-CONTENT");
            try
            {
                string xml = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file://" + secretFile + "\">]>"
                    + "<xml><Event>batch_job_result</Event><BatchJob><JobId>&x;</JobId></BatchJob></xml>";
                var ex = Assert.Throws<CallbackCryptoException>(() => ExportNotificationParser.Parse(xml));
                Assert.Equal(-40002, ex.ErrorCode);
                Assert.DoesNotContain("CANARY", ex.ToString(), StringComparison.Ordinal);
            }
            finally
            {
                File.Delete(secretFile);
            }
        }

        [Fact]
        public async Task An_external_entity_or_dtd_url_makes_no_network_connection()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;

            // Accept and drop at once, counting: a parser that did fetch would fail fast instead of hanging on a silent server.
            int connections = 0;
            using var stop = new CancellationTokenSource();
            Task acceptLoop = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        using TcpClient client = await listener.AcceptTcpClientAsync(stop.Token);
                        Interlocked.Increment(ref connections);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            });

            string[] attacks =
            {
                $"<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"http://127.0.0.1:{port}/entity\">]><xml><Event>batch_job_result</Event><BatchJob><JobId>&x;</JobId></BatchJob></xml>",
                $"<?xml version=\"1.0\"?><!DOCTYPE xml SYSTEM \"http://127.0.0.1:{port}/dtd\"><xml><Event>batch_job_result</Event><BatchJob><JobId>a</JobId></BatchJob></xml>",
                $"<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY % p SYSTEM \"http://127.0.0.1:{port}/param\"> %p;]><xml/>",
                $"<xml xmlns:xi=\"http://www.w3.org/2001/XInclude\"><Event>batch_job_result</Event><BatchJob><JobId><xi:include href=\"http://127.0.0.1:{port}/xi\" parse=\"text\"/></JobId></BatchJob></xml>",
            };

            foreach (string xml in attacks)
            {
                var refused = Assert.ThrowsAny<CallbackCryptoException>(() => ExportNotificationParser.Parse(xml));
                Assert.Equal(CallbackCryptoException.ParseXmlError, refused.ErrorCode);
            }

            // The parse calls were synchronous: any connection they made is accepted (counted) or still queued by now.
            stop.Cancel();
            await acceptLoop;
            Assert.False(listener.Pending(), "The parser connected to the loopback listener.");
            Assert.Equal(0, Volatile.Read(ref connections));
        }

        [Fact]
        public void ToString_summarises_without_secrets()
        {
            ExportNotification n = ExportNotificationParser.Parse(DocExample);
            Assert.Equal("batch_job_result export_user jobid_S0MrnndvRG5fadSlLwiBqiDDbM143UqTmKP3152FZk4 (ErrCode 0)", n.ToString());
        }
    }
}

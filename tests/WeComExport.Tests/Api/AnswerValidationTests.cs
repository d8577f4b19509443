using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Crypto;
using WeComExport.Export;
using WeComExport.Tags;
using Xunit;

namespace WeComExport.Tests.Api
{
    /// <summary>
    /// What WeCom (or whatever answers at the API address) says is checked strictly: a field of the
    /// wrong JSON type, out of range, missing where the API promises it, a job id that is not one, or
    /// a download URL the endpoint rule refuses is WeComInvalidAnswer naming the field and the block,
    /// through the public calls, with no value echoed and nothing retried or downloaded.
    /// </summary>
    public class AnswerValidationTests
    {
        public enum Target
        {
            Connect,
            Start,
            Result,
            Tags,
        }

        private const string Secret = "s3cr3t-SECRET-value-0123456789abcdefghijklmn";
        private const string Ok = "\"errcode\":0,\"errmsg\":\"ok\"";
        private const string Md5 = "e8bac67f46dc61c51b649397ed17b237";

        private static string Block(string url = "\"https://dl.example.test/d?authkey=AUTHSECRET\"", string size = "96", string md5 = "\"" + Md5 + "\"") =>
            $"{{\"url\":{url},\"size\":{size},\"md5\":{md5}}}";

        private static string Done(params string[] blocks) => $"{{{Ok},\"status\":2,\"data_list\":[{string.Join(",", blocks)}]}}";

        /// <summary>Which call, WeCom's answer to it, and words the message must hold (the field and where it was).</summary>
        public static TheoryData<Target, string, string[]> InvalidAnswers => new()
        {
            // gettoken
            { Target.Connect, $"{{{Ok},\"access_token\":{{\"t\":\"x\"}},\"expires_in\":7200}}", new[] { "'access_token'", "an object" } },
            { Target.Connect, $"{{{Ok},\"access_token\":[],\"expires_in\":7200}}", new[] { "'access_token'", "an array" } },
            { Target.Connect, $"{{{Ok},\"expires_in\":7200}}", new[] { "without 'access_token'" } },
            { Target.Connect, $"{{{Ok},\"access_token\":\"\",\"expires_in\":7200}}", new[] { "'access_token'", "empty" } },
            { Target.Connect, $"{{{Ok},\"access_token\":\"tok\",\"expires_in\":\"7200\"}}", new[] { "'expires_in'", "a string" } },
            { Target.Connect, $"{{{Ok},\"access_token\":\"tok\",\"expires_in\":-5}}", new[] { "'expires_in'", "1 to" } },
            { Target.Connect, $"{{{Ok},\"access_token\":\"tok\",\"expires_in\":72.5}}", new[] { "'expires_in'" } },
            { Target.Connect, "{\"errcode\":\"40014\",\"errmsg\":\"x\"}", new[] { "'errcode'", "a string" } },
            { Target.Connect, "{\"errcode\":4294967296,\"errmsg\":\"x\",\"access_token\":\"tok\",\"expires_in\":7200}", new[] { "'errcode'", "whole number" } },
            { Target.Connect, "{\"errcode\":0.5,\"errmsg\":\"x\",\"access_token\":\"tok\",\"expires_in\":7200}", new[] { "'errcode'" } },
            { Target.Connect, "{\"errcode\":null,\"access_token\":\"tok\",\"expires_in\":7200}", new[] { "'errcode'", "null" } },
            { Target.Connect, "[0]", new[] { "not an object" } },
            { Target.Connect, "{\"errcode\":40014,\"errcode\":0,\"errmsg\":\"x\",\"access_token\":\"tok\",\"expires_in\":7200}", new[] { "'errcode'", "more than once" } },
            { Target.Connect, "{\"errcode\":0,\"err\\u0063ode\":40014,\"access_token\":\"tok\",\"expires_in\":7200}", new[] { "'errcode'", "more than once" } },
            { Target.Connect, $"{{{Ok},\"access_token\":\"tok\",\"access_token\":\"other\",\"expires_in\":7200}}", new[] { "'access_token'", "more than once" } },

            // export start
            { Target.Start, $"{{{Ok},\"jobid\":12345}}", new[] { "'jobid'", "a number" } },
            { Target.Start, $"{{{Ok}}}", new[] { "without 'jobid'" } },
            { Target.Start, $"{{{Ok},\"jobid\":\"\"}}", new[] { "'jobid'", "empty" } },
            { Target.Start, $"{{{Ok},\"jobid\":\"jobid_a\\r\\nInjected: 1\"}}", new[] { "'jobid'", "U+000D", "position 8" } },
            { Target.Start, $"{{{Ok},\"jobid\":\"jobid_\\u001b[31mred\"}}", new[] { "'jobid'", "U+001B" } },
            { Target.Start, $"{{{Ok},\"jobid\":\"jobid_ok\\n\"}}", new[] { "'jobid'", "U+000A" } },
            { Target.Start, $"{{{Ok},\"jobid\":\"../../etc/passwd\"}}", new[] { "'jobid'", "U+002F" } },
            { Target.Start, $"{{{Ok},\"jobid\":\"C:\\\\Windows\\\\passwd\"}}", new[] { "'jobid'", "U+003A" } },
            { Target.Start, $"{{{Ok},\"jobid\":\"jobid with space\"}}", new[] { "'jobid'", "U+0020" } },
            { Target.Start, $"{{{Ok},\"jobid\":\"{new string('x', 65)}\"}}", new[] { "'jobid'", "65 characters", "64" } },
            { Target.Start, "{\"errcode\":\"0\",\"errmsg\":\"ok\",\"jobid\":\"jobid_1\"}", new[] { "'errcode'", "a string" } },
            { Target.Start, $"{{{Ok},\"jobid\":\"jobid_1\",\"jobid\":\"jobid_2\"}}", new[] { "'jobid'", "more than once" } },

            // get_result: status and data_list
            { Target.Result, $"{{{Ok},\"status\":\"2\",\"data_list\":[]}}", new[] { "'status'", "a string" } },
            { Target.Result, $"{{{Ok},\"data_list\":[]}}", new[] { "without 'status'" } },
            { Target.Result, $"{{{Ok},\"status\":7}}", new[] { "'status'", "0 to 3" } },
            { Target.Result, $"{{{Ok},\"status\":8589934594}}", new[] { "'status'", "0 to 3" } },
            { Target.Result, $"{{{Ok},\"status\":2}}", new[] { "'data_list'", "status 2" } },
            { Target.Result, $"{{{Ok},\"status\":2,\"data_list\":null}}", new[] { "'data_list'", "status 2" } },
            { Target.Result, $"{{{Ok},\"status\":2,\"data_list\":{{\"url\":\"https://dl.example.test/a\"}}}}", new[] { "'data_list'", "an object" } },
            { Target.Result, $"{{{Ok},\"status\":1,\"data_list\":\"none\"}}", new[] { "'data_list'", "a string" } },
            { Target.Result, Done("5"), new[] { "'data_list' item 0", "a number" } },
            { Target.Result, $"{{{Ok},\"status\":1,\"status\":2,\"data_list\":[]}}", new[] { "'status'", "more than once" } },
            { Target.Result, $"{{{Ok},\"status\":2,\"data_list\":[],\"data_list\":[{Block()}]}}", new[] { "'data_list'", "more than once" } },
            { Target.Tags, $"{{{Ok},\"errcode\":45009,\"taglist\":[]}}", new[] { "'errcode'", "more than once" } },

            // get_result: each block's url, size and md5
            { Target.Result, Done(Block(url: "5")), new[] { "'url' of block 0", "a number" } },
            { Target.Result, Done("{\"size\":96,\"md5\":\"" + Md5 + "\"}"), new[] { "without 'url' of block 0" } },
            { Target.Result, Done(Block(), Block(url: "\"http://example.com/d?authkey=AUTHSECRET\"")), new[] { "'url' of block 1", "HTTPS", "http://example.com" } },
            { Target.Result, Done(Block(url: "\"file:///etc/passwd\"")), new[] { "'url' of block 0" } },
            { Target.Result, Done(Block(url: "\"ftp://127.0.0.1/d?authkey=AUTHSECRET\"")), new[] { "'url' of block 0", "HTTPS" } },
            { Target.Result, Done(Block(url: "\"http://127.0.0.1:8080/admin?authkey=AUTHSECRET\"")), new[] { "'url' of block 0", "HTTPS", "http://127.0.0.1:8080" } },
            { Target.Result, Done(Block(), Block(url: "\"http://localhost/d\"")), new[] { "'url' of block 1", "HTTPS" } },
            { Target.Result, Done(Block(url: "\"https://user:secretpw@dl.example.test/d\"")), new[] { "'url' of block 0", "user info is not allowed" } },
            { Target.Result, Done(Block(url: "\"not a url\"")), new[] { "'url' of block 0" } },
            { Target.Result, Done(Block(), Block()), new[] { "lists block 0 twice", "block 1 has the same url" } },
            { Target.Result, Done(Block(size: "\"12\"")), new[] { "'size' of block 0", "a string" } },
            { Target.Result, Done(Block(size: "-1")), new[] { "'size' of block 0", "0 to" } },
            { Target.Result, Done(Block(size: "1.5")), new[] { "'size' of block 0", "whole number" } },
            { Target.Result, Done(Block(), Block(size: "9223372036854775807")), new[] { "'size' of block 1", "0 to 1099511627776" } },
            { Target.Result, Done(Block(size: "18446744073709551616")), new[] { "'size' of block 0" } },
            { Target.Result, Done(Block(size: "1099511627777")), new[] { "'size' of block 0" } },
            { Target.Result, Done(Block(md5: "12345")), new[] { "'md5' of block 0", "a number" } },
            { Target.Result, Done(Block(md5: "null")), new[] { "'md5' of block 0", "null" } },
            { Target.Result, Done(Block(md5: "\"e8bac67f46dc61c51b649397ed17b2\"")), new[] { "'md5' of block 0", "32 hexadecimal" } },
            { Target.Result, Done(Block(md5: "\"zzbac67f46dc61c51b649397ed17b237\"")), new[] { "'md5' of block 0", "32 hexadecimal" } },

            // tag/list
            { Target.Tags, $"{{{Ok}}}", new[] { "without 'taglist'" } },
            { Target.Tags, $"{{{Ok},\"taglist\":{{}}}}", new[] { "'taglist'", "an object" } },
            { Target.Tags, $"{{{Ok},\"taglist\":[3]}}", new[] { "'taglist' item 0", "a number" } },
            { Target.Tags, $"{{{Ok},\"taglist\":[{{\"tagid\":1,\"tagname\":\"a\"}},{{\"tagid\":\"2\",\"tagname\":\"b\"}}]}}", new[] { "'tagid' of taglist item 1", "a string" } },
            { Target.Tags, $"{{{Ok},\"taglist\":[{{\"tagid\":1.5,\"tagname\":\"a\"}}]}}", new[] { "'tagid' of taglist item 0", "whole number" } },
            { Target.Tags, $"{{{Ok},\"taglist\":[{{\"tagid\":-1,\"tagname\":\"a\"}}]}}", new[] { "'tagid' of taglist item 0" } },
            { Target.Tags, $"{{{Ok},\"taglist\":[{{\"tagid\":1,\"tagname\":7}}]}}", new[] { "'tagname' of taglist item 0", "a number" } },
            { Target.Tags, $"{{{Ok},\"taglist\":[{{\"tagid\":1}}]}}", new[] { "without 'tagname' of taglist item 0" } },
        };

        [Theory]
        [MemberData(nameof(InvalidAnswers))]
        public async Task A_wrong_answer_is_WeComInvalidAnswer_naming_the_field(Target call, string answer, string[] mentions)
        {
            var handler = new ScriptedHandler((r, _) => Answer(r, call, answer));
            WeComException ex = await Assert.ThrowsAnyAsync<WeComException>(() => Run(call, handler));

            Assert.Equal(typeof(WeComException), ex.GetType());
            Assert.Equal("WeComInvalidAnswer", ex.ErrorId);
            Assert.Equal(WeComErrorKind.InvalidData, ex.Kind);
            Assert.False(string.IsNullOrEmpty(ex.Hint));
            Assert.All(mentions, m => Assert.Contains(m, ex.Message, StringComparison.Ordinal));

            // Nothing of the value is echoed: no control characters, credentials or injected text.
            Assert.DoesNotContain(ex.Message, c => char.IsControl(c));
            foreach (string forbidden in new[] { "AUTHSECRET", "secretpw", "Injected", "passwd", "[31m", "\"x\"", Secret })
            {
                Assert.DoesNotContain(forbidden, ex.Message, StringComparison.Ordinal);
            }

            // Not retried, and no download (or any other address) was contacted.
            Assert.All(handler.Requests, r => Assert.Contains(" https://qyapi.example.test/cgi-bin/", r, StringComparison.Ordinal));
            Assert.Equal(1, handler.CountOf(PathOf(call)));
        }

        [Theory]
        [InlineData("{\"errcode\":0,\"errmsg\":\"ok\",\"status\":2,\"data_list\":[]}", 2, 0, null)]
        [InlineData("{\"errcode\":0,\"errmsg\":\"ok\",\"status\":0}", 0, 0, null)]
        [InlineData("{\"errcode\":0,\"errmsg\":\"ok\",\"status\":1}", 1, 0, null)]
        [InlineData("{\"errcode\":0,\"errmsg\":\"ok\",\"status\":3,\"data_list\":null}", 3, 0, null)]
        [InlineData("{\"status\":2,\"data_list\":[{\"url\":\"https://dl.example.test/d?authkey=k\",\"size\":0,\"md5\":\"E8BAC67F46DC61C51B649397ED17B237\"}]}", 2, 1, null)]
        [InlineData("{\"status\":2,\"data_list\":[{\"url\":\"http://127.0.0.1:5000/d?authkey=k\",\"size\":0,\"md5\":\"E8BAC67F46DC61C51B649397ED17B237\"}]}", 2, 1, "http://127.0.0.1:5000")]
        [InlineData("{\"errcode\":0,\"status\":2,\"data_list\":[{\"url\":\"https://dl.example.test/d\",\"size\":1099511627776,\"md5\":\"e8bac67f46dc61c51b649397ed17b237\"},{\"url\":\"http://localhost/d\",\"size\":1099511627776,\"md5\":\"e8bac67f46dc61c51b649397ed17b237\"}]}", 2, 2, "http://localhost:5000")]
        public async Task Correct_results_still_parse(string answer, int status, int blocks, string? apiBase)
        {
            // Plain-HTTP block URLs only from an API that is itself plain HTTP to loopback (the emulator).
            var handler = new ScriptedHandler((r, _) => Answer(r, Target.Result, answer));
            using WeComSession session = await handler.ConnectAsync(Secret, apiBase is null ? null : new Uri(apiBase));
            WeComExportResult result = await ExportOperations.GetResultAsync(session, "job1", CancellationToken.None);
            Assert.Equal((ExportStatus)status, result.Status);
            Assert.Equal(blocks, result.BlockCount);
            Assert.Equal(result.Blocks.Sum(b => b.Size), result.TotalSize);
        }

        [Theory]
        [InlineData("jobid_S0MrnndvRG5fadSlLwiBqiDDbM143UqTmKP3152FZk4")]
        [InlineData("j")]
        [InlineData("a-b_c=d.e")]
        public async Task Correct_job_ids_are_accepted(string jobId)
        {
            var handler = new ScriptedHandler((r, _) => Answer(r, Target.Start, $"{{{Ok},\"jobid\":\"{jobId}\"}}"));
            using WeComSession session = await Connect(handler);
            WeComExportJob job = await ExportOperations.StartAsync(session, ExportKind.User, EncodingAesKey.Generate(), null, null, CancellationToken.None);
            Assert.Equal(jobId, job.JobId);
        }

        [Fact]
        public async Task Correct_tags_and_token_lifetimes_still_parse()
        {
            var handler = new ScriptedHandler((r, _) => r.RequestUri!.AbsolutePath.EndsWith("/gettoken", StringComparison.Ordinal)
                ? ScriptedHandler.Json("{\"errcode\":0,\"access_token\":\"tok-abcdef123456\"}")
                : ScriptedHandler.Json($"{{{Ok},\"taglist\":[{{\"tagid\":1,\"tagname\":\"乒乓球协会\"}},{{\"tagid\":20,\"tagname\":\"\"}}]}}"));
            using WeComSession session = await Connect(handler);
            Assert.InRange(session.TokenExpiresAt!.Value - DateTimeOffset.Now, TimeSpan.FromMinutes(119), TimeSpan.FromMinutes(121));
            var tags = await TagOperations.ListAsync(session, CancellationToken.None);
            Assert.Equal(new[] { 1L, 20L }, tags.Select(t => t.TagId));
            Assert.Equal("乒乓球协会", tags[0].TagName);
        }

        [Theory]
        [InlineData("")]
        [InlineData(" ")]
        [InlineData("job1\n")]
        [InlineData("job\r\n1")]
        [InlineData("job\u001b[2J")]
        [InlineData("../job1")]
        [InlineData("job1?x=1")]
        [InlineData("jobK\u212A")]
        public void A_job_id_given_by_the_caller_is_checked_with_the_same_rule_and_not_quoted(string jobId)
        {
            var ex = Assert.Throws<ArgumentException>(() => ExportOperations.ValidateJobId(jobId));
            Assert.DoesNotContain(ex.Message, c => char.IsControl(c) || c > '\u007e');
            Assert.DoesNotContain("../", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void The_job_id_pattern_refuses_a_trailing_newline()
        {
            Assert.Matches(ExportLimits.JobIdPattern, "jobid_ok");
            Assert.DoesNotMatch(ExportLimits.JobIdPattern, "jobid_ok\n");
        }

        private static Task<WeComSession> Connect(ScriptedHandler handler) => handler.ConnectAsync(Secret);

        private static async Task Run(Target call, ScriptedHandler handler)
        {
            using WeComSession session = await Connect(handler);
            switch (call)
            {
                case Target.Start:
                    await ExportOperations.StartAsync(session, ExportKind.User, EncodingAesKey.Generate(), null, null, CancellationToken.None);
                    break;
                case Target.Result:
                    await ExportOperations.GetResultAsync(session, "job1", CancellationToken.None);
                    break;
                case Target.Tags:
                    await TagOperations.ListAsync(session, CancellationToken.None);
                    break;
            }
        }

        private static string PathOf(Target call) => call switch
        {
            Target.Connect => "/gettoken",
            Target.Start => "/export/user",
            Target.Result => "/export/get_result",
            _ => "/tag/list",
        };

        /// <summary>The scripted answer for the call under test; a good token otherwise.</summary>
        private static HttpResponseMessage Answer(HttpRequestMessage request, Target call, string answer) =>
            request.RequestUri!.AbsolutePath.EndsWith(PathOf(call), StringComparison.Ordinal) ? ScriptedHandler.Json(answer) : ScriptedHandler.Token();
    }
}

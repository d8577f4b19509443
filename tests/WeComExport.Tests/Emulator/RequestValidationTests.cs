using System;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace WeComExport.Tests.Emulator
{
    public class RequestValidationTests
    {
        [Theory]
        [InlineData("{\"encoding_aeskey\":\"IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg\"}")]
        [InlineData("{\"encoding_aeskey\":\"IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2x\"}")]
        [InlineData("{\"encoding_aeskey\":\"IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wf+2\"}")]
        [InlineData("{\"encoding_aeskey\":12345}")]
        [InlineData("{\"block_size\":10000}")]
        [InlineData("{\"encoding_aeskey\":\"IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2\",\"block_size\":9999}")]
        [InlineData("{\"encoding_aeskey\":\"IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2\",\"block_size\":1000001}")]
        [InlineData("{\"encoding_aeskey\":\"IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2\",\"block_size\":\"10000\"}")]
        [InlineData("{\"encoding_aeskey\":\"IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2\",\"block_size\":10000.5}")]
        [InlineData("{\"encoding_aeskey\":")]
        [InlineData("[1,2,3]")]
        [InlineData("")]
        [InlineData("not json at all")]
        public async Task A_bad_key_block_size_or_body_answers_40058(string body)
        {
            await using var emu = await EmulatorHarness.StartAsync(o => o.MinBlockSize = 10_000);
            string token = await emu.TokenAsync();
            JsonElement answer = await emu.PostJsonAsync($"/cgi-bin/export/user?access_token={token}", body);
            TokenTests.AssertWeComError(answer, 40058);
        }

        [Theory]
        [InlineData(10_000)]
        [InlineData(1_000_000)]
        public async Task Block_sizes_at_the_limits_are_accepted(int blockSize)
        {
            await using var emu = await EmulatorHarness.StartAsync(o => o.MinBlockSize = 10_000);
            string token = await emu.TokenAsync();
            Assert.StartsWith("jobid_", await emu.StartExportAsync(token, "department", blockSize), StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_body_over_64_KB_answers_40058_and_the_server_keeps_serving()
        {
            await using var emu = await EmulatorHarness.StartAsync();
            string token = await emu.TokenAsync();
            string huge = "{\"encoding_aeskey\":\"" + EmulatorHarness.Key + "\",\"pad\":\"" + new string('x', 200_000) + "\"}";
            JsonElement answer = await emu.PostJsonAsync($"/cgi-bin/export/user?access_token={token}", huge);
            TokenTests.AssertWeComError(answer, 40058);

            // Chunked (no Content-Length), so the limit is enforced while reading.
            using var content = new StreamContent(new System.IO.MemoryStream(Encoding.UTF8.GetBytes(huge)));
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/cgi-bin/export/user?access_token={token}") { Content = content };
            request.Headers.TransferEncodingChunked = true;
            using HttpResponseMessage response = await emu.Http.SendAsync(request);
            TokenTests.AssertWeComError(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement, 40058);
            Assert.StartsWith("jobid_", await emu.StartExportAsync(token, "user"), StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_tag_export_without_a_tagid_answers_40058_and_with_an_unknown_one_40068()
        {
            await using var emu = await EmulatorHarness.StartAsync();
            string token = await emu.TokenAsync();
            string url = $"/cgi-bin/export/taguser?access_token={token}";
            TokenTests.AssertWeComError(await emu.PostJsonAsync(url, "{\"encoding_aeskey\":\"" + EmulatorHarness.Key + "\"}"), 40058);
            TokenTests.AssertWeComError(await emu.PostJsonAsync(url, "{\"encoding_aeskey\":\"" + EmulatorHarness.Key + "\",\"tagid\":\"one\"}"), 40058);
            TokenTests.AssertWeComError(await emu.PostJsonAsync(url, "{\"encoding_aeskey\":\"" + EmulatorHarness.Key + "\",\"tagid\":999}"), 40068);
        }

        [Fact]
        public async Task The_wrong_method_answers_43001_or_43002()
        {
            await using var emu = await EmulatorHarness.StartAsync();
            string token = await emu.TokenAsync();
            TokenTests.AssertWeComError(await emu.GetJsonAsync($"/cgi-bin/export/user?access_token={token}"), 43002);
            TokenTests.AssertWeComError(await emu.PostJsonAsync($"/cgi-bin/export/get_result?access_token={token}&jobid=x", "{}"), 43001);
            TokenTests.AssertWeComError(await emu.PostJsonAsync($"/cgi-bin/gettoken?corpid={emu.Corp.CorpId}&corpsecret={emu.Corp.Secret}", "{}"), 43001);
            TokenTests.AssertWeComError(await emu.PostJsonAsync($"/cgi-bin/tag/list?access_token={token}", "{}"), 43001);
            using HttpResponseMessage put = await emu.Http.PutAsync($"/cgi-bin/export/user?access_token={token}", new StringContent("{}"));
            Assert.Equal(200, (int)put.StatusCode);
            TokenTests.AssertWeComError(JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement, 43002);
        }

        [Fact]
        public async Task An_unknown_API_answers_48001_and_paths_outside_the_API_404()
        {
            await using var emu = await EmulatorHarness.StartAsync();
            TokenTests.AssertWeComError(await emu.GetJsonAsync("/cgi-bin/user/list?access_token=x"), 48001);
            using HttpResponseMessage response = await emu.Http.GetAsync("/elsewhere");
            Assert.Equal(404, (int)response.StatusCode);
        }

        [Fact]
        public async Task Get_result_answers_40088_for_a_missing_unknown_or_foreign_jobid()
        {
            await using var emu = await EmulatorHarness.StartAsync(o => o.Corps = 2);
            string token = await emu.TokenAsync();
            string other = await emu.TokenAsync(emu.Server.Corps[1]);
            string jobId = await emu.StartExportAsync(token, "department");
            TokenTests.AssertWeComError(await emu.GetJsonAsync($"/cgi-bin/export/get_result?access_token={token}"), 40088);
            TokenTests.AssertWeComError(await emu.ResultAsync(token, "jobid_unknown"), 40088);
            TokenTests.AssertWeComError(await emu.ResultAsync(other, jobId), 40088);
            Assert.Equal(0, (await emu.ResultAsync(token, jobId)).GetProperty("errcode").GetInt32());
        }

        [Fact]
        public async Task An_expired_jobid_answers_40088()
        {
            await using var emu = await EmulatorHarness.StartAsync(o => o.JobLifetime = TimeSpan.FromSeconds(1));
            string token = await emu.TokenAsync();
            string jobId = await emu.StartExportAsync(token, "department");
            await Task.Delay(1300);
            TokenTests.AssertWeComError(await emu.ResultAsync(token, jobId), 40088);
        }

        [Fact]
        public async Task Control_endpoints_answer_bad_input_with_400_and_a_message()
        {
            await using var emu = await EmulatorHarness.StartAsync();
            foreach (string url in new[] { "/_emulator/truth?corpid=nope&kind=user", $"/_emulator/truth?corpid={emu.Corp.CorpId}&kind=bogus", $"/_emulator/truth?corpid={emu.Corp.CorpId}&kind=taguser&tagid=99" })
            {
                using HttpResponseMessage r = await emu.Http.GetAsync(url);
                Assert.Equal(400, (int)r.StatusCode);
                Assert.True(JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.TryGetProperty("error", out _));
            }

            foreach (string body in new[] { "{", "{\"kind\":\"nope\"}", "{\"kind\":\"slow\",\"count\":0}", "{\"kind\":\"slow\",\"probability\":2}", "{\"kind\":\"http-500\",\"status\":404}" })
            {
                using HttpResponseMessage r = await emu.Http.PostAsync("/_emulator/faults", new StringContent(body));
                Assert.Equal(400, (int)r.StatusCode);
            }

            using HttpResponseMessage missing = await emu.Http.GetAsync("/_emulator/nothing");
            Assert.Equal(404, (int)missing.StatusCode);
        }
    }
}

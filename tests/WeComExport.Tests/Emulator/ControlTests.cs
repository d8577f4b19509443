using System.IO;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using WeComExport.Emulator.Hosting;
using Xunit;

namespace WeComExport.Tests.Emulator
{
    public class ControlTests
    {
        [Fact]
        public async Task Health_answers_ok()
        {
            await using var emu = await EmulatorHarness.StartAsync();
            Assert.Equal("ok", await emu.Http.GetStringAsync("/_emulator/health"));
        }

        [Fact]
        public async Task Requests_counts_API_calls_and_downloads_by_path_but_not_control_calls_and_resets()
        {
            await using var emu = await EmulatorHarness.StartAsync();
            JsonElement none = await emu.GetJsonAsync("/_emulator/requests");
            Assert.Equal(0, none.GetProperty("total").GetInt32());
            JsonElement[] blocks = await emu.ExportAsync("department");
            JsonElement counts = await emu.GetJsonAsync("/_emulator/requests");
            JsonElement byPath = counts.GetProperty("byPath");
            Assert.Equal(1, byPath.GetProperty("/cgi-bin/gettoken").GetInt32());
            Assert.Equal(1, byPath.GetProperty("/cgi-bin/export/department").GetInt32());
            Assert.Equal(blocks.Length, byPath.GetProperty("/downloadobject").GetInt32());
            int getResult = byPath.GetProperty("/cgi-bin/export/get_result").GetInt32();
            Assert.Equal(2 + blocks.Length + getResult, counts.GetProperty("total").GetInt32());
            using HttpResponseMessage reset = await emu.Http.DeleteAsync("/_emulator/requests");
            Assert.Equal(0, (await emu.GetJsonAsync("/_emulator/requests")).GetProperty("total").GetInt32());
        }

        [Fact]
        public async Task Corps_lists_each_corp_without_its_secret()
        {
            await using var emu = await EmulatorHarness.StartAsync(o => o.Corps = 3);
            string text = await emu.Http.GetStringAsync("/_emulator/corps");
            JsonElement corps = JsonDocument.Parse(text).RootElement.GetProperty("corps");
            Assert.Equal(3, corps.GetArrayLength());
            Assert.Equal(emu.Server.Corps[2].CorpId, corps[2].GetProperty("corpId").GetString());
            Assert.Equal(60, corps[0].GetProperty("members").GetInt32());
            foreach (var corp in emu.Server.Corps)
            {
                Assert.DoesNotContain(corp.Secret, text, System.StringComparison.Ordinal);
                Assert.DoesNotContain(corp.Secret, corp.ToString(), System.StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task Deleting_jobs_frees_finished_ones_so_their_ids_answer_40088()
        {
            await using var emu = await EmulatorHarness.StartAsync();
            var (token, jobId) = await emu.FinishedJobAsync("department");
            using HttpResponseMessage r = await emu.Http.DeleteAsync("/_emulator/jobs");
            Assert.Equal(1, JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("removed").GetInt32());
            TokenTests.AssertWeComError(await emu.ResultAsync(token, jobId), 40088);
        }

        [Theory]
        [InlineData("127.0.0.1", true)]
        [InlineData("::1", true)]
        [InlineData("::ffff:127.0.0.1", true)]
        [InlineData("192.0.2.10", false)]
        [InlineData("::ffff:192.0.2.10", false)]
        [InlineData("2001:db8::1", false)]
        public void Only_loopback_counts_as_local_for_the_control_endpoints(string address, bool local)
        {
            Assert.Equal(local, RequestDispatcher.IsLocal(IPAddress.Parse(address)));
        }

        [Fact]
        public async Task A_control_call_from_a_remote_address_is_refused_with_403_but_health_answers()
        {
            await using var emu = await EmulatorHarness.StartAsync();
            await emu.PostJsonAsync("/_emulator/faults", "{\"kind\":\"slow\",\"count\":1}");
            var dispatcher = new RequestDispatcher(emu.Server.State);

            var remote = new DefaultHttpContext();
            remote.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.10");
            remote.Request.Method = "DELETE";
            remote.Request.Path = "/_emulator/faults";
            remote.Response.Body = new MemoryStream();
            await dispatcher.HandleAsync(remote);
            Assert.Equal(403, remote.Response.StatusCode);
            remote.Response.Body.Position = 0;
            Assert.Contains("loopback", JsonDocument.Parse(remote.Response.Body).RootElement.GetProperty("error").GetString(), System.StringComparison.Ordinal);
            Assert.Equal(1, (await emu.GetJsonAsync("/_emulator/faults")).GetProperty("faults").GetArrayLength());

            var health = new DefaultHttpContext();
            health.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.10");
            health.Request.Method = "GET";
            health.Request.Path = "/_emulator/health";
            health.Response.Body = new MemoryStream();
            await dispatcher.HandleAsync(health);
            Assert.Equal(200, health.Response.StatusCode);
        }

        [Fact]
        public async Task A_port_in_use_fails_the_start_with_an_IO_error()
        {
            await using var first = await EmulatorHarness.StartAsync();
            await Assert.ThrowsAnyAsync<System.IO.IOException>(() => EmulatorHarness.StartAsync(o => o.Port = first.Server.BaseUri.Port));
        }
    }
}

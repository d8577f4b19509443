using System;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace WeComExport.Tests.Emulator
{
    /// <summary>
    /// A corp whose secret is the contacts-sync (通讯录同步) secret: since 2022 WeCom answers 48009
    /// "api forbidden for contact assistant" to the member and department exports, and nothing else.
    /// </summary>
    public class ContactAssistantTests
    {
        private static async Task<JsonElement> StartAsync(EmulatorHarness emu, string token, string kind, string body = "{\"encoding_aeskey\":\"" + EmulatorHarness.Key + "\"}") =>
            await emu.PostJsonAsync($"/cgi-bin/export/{kind}?access_token={token}", body);

        private static async Task AssertOnlyMemberAndDepartmentExportsAreForbiddenAsync(EmulatorHarness emu, string token)
        {
            foreach (string kind in new[] { "simple_user", "user", "department" })
            {
                JsonElement answer = await StartAsync(emu, token, kind);
                TokenTests.AssertWeComError(answer, 48009);
                Assert.StartsWith("api forbidden for contact assistant, hint: [", answer.GetProperty("errmsg").GetString(), StringComparison.Ordinal);
            }

            // The tag export, its result and tag/list stay open to the contacts-sync secret.
            string jobId = await emu.StartExportAsync(token, "taguser", tagId: 1);
            Assert.Equal(2, (await emu.WaitAsync(token, jobId)).GetProperty("status").GetInt32());
            Assert.Equal(0, (await emu.GetJsonAsync($"/cgi-bin/tag/list?access_token={token}")).GetProperty("errcode").GetInt32());
        }

        [Fact]
        public async Task Corps_named_at_start_answer_48009_to_member_and_department_exports_only()
        {
            await using var emu = await EmulatorHarness.StartAsync(o =>
            {
                o.Corps = 3;
                o.ContactAssistantCorps.Add(0);
                o.ContactAssistantCorps.Add(2);
            });
            await AssertOnlyMemberAndDepartmentExportsAreForbiddenAsync(emu, await emu.TokenAsync(emu.Server.Corps[0]));
            await AssertOnlyMemberAndDepartmentExportsAreForbiddenAsync(emu, await emu.TokenAsync(emu.Server.Corps[2]));

            // Corp 1 keeps an ordinary app secret.
            string other = await emu.TokenAsync(emu.Server.Corps[1]);
            Assert.Equal(0, (await StartAsync(emu, other, "user")).GetProperty("errcode").GetInt32());

            JsonElement corps = (await emu.GetJsonAsync("/_emulator/corps")).GetProperty("corps");
            Assert.True(corps[0].GetProperty("contactAssistant").GetBoolean());
            Assert.False(corps[1].GetProperty("contactAssistant").GetBoolean());
            Assert.True(corps[2].GetProperty("contactAssistant").GetBoolean());
        }

        [Fact]
        public async Task The_token_is_checked_first_and_the_body_is_not_looked_at()
        {
            await using var emu = await EmulatorHarness.StartAsync(o => o.ContactAssistantCorps.Add(0));
            TokenTests.AssertWeComError(await StartAsync(emu, "nonsense", "user"), 40014);
            TokenTests.AssertWeComError(await StartAsync(emu, await emu.TokenAsync(), "user", "not json"), 48009);
        }

        [Fact]
        public async Task The_control_endpoint_switches_a_corp_to_the_contacts_sync_secret_and_back()
        {
            await using var emu = await EmulatorHarness.StartAsync();
            string token = await emu.TokenAsync();
            JsonElement set = await emu.PostJsonAsync("/_emulator/corps", $"{{\"corpid\":\"{emu.Corp.CorpId}\",\"contactAssistant\":true}}");
            Assert.True(set.GetProperty("contactAssistant").GetBoolean());
            await AssertOnlyMemberAndDepartmentExportsAreForbiddenAsync(emu, token);

            await emu.PostJsonAsync("/_emulator/corps", $"{{\"CorpId\":\"{emu.Corp.CorpId}\",\"ContactAssistant\":false}}");
            Assert.Equal(0, (await StartAsync(emu, token, "department")).GetProperty("errcode").GetInt32());
        }

        [Theory]
        [InlineData("{\"corpid\":\"CORP\"}", "contactAssistant")]
        [InlineData("{\"corpid\":\"CORP\",\"contactAssistant\":\"true\"}", "contactAssistant")]
        [InlineData("{\"corpid\":\"CORP\",\"contactAssistent\":true}", "contactAssistent")]
        [InlineData("{\"corpid\":\"CORP\",\"contactAssistant\":true,\"contactassistant\":false}", "contactassistant")]
        [InlineData("{\"corpid\":\"ww0000000000000000\",\"contactAssistant\":true}", "ww0000000000000000")]
        [InlineData("[]", "object")]
        public async Task A_bad_corp_setting_is_refused_with_400(string body, string named)
        {
            await using var emu = await EmulatorHarness.StartAsync();
            string error = await emu.PostRefusedAsync("/_emulator/corps", body.Replace("CORP", emu.Corp.CorpId, StringComparison.Ordinal));
            Assert.Contains(named, error, StringComparison.Ordinal);
            Assert.False(emu.Corp.ContactAssistant);
        }
    }
}

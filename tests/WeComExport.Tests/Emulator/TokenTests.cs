using System;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace WeComExport.Tests.Emulator
{
    public class TokenTests
    {
        [Fact]
        public async Task Gettoken_answers_a_token_with_its_lifetime_and_the_same_token_while_it_is_valid()
        {
            await using var emu = await EmulatorHarness.StartAsync();
            JsonElement first = await emu.GetJsonAsync($"/cgi-bin/gettoken?corpid={emu.Corp.CorpId}&corpsecret={emu.Corp.Secret}");
            Assert.Equal(0, first.GetProperty("errcode").GetInt32());
            Assert.Equal("ok", first.GetProperty("errmsg").GetString());
            Assert.Equal(7200, first.GetProperty("expires_in").GetInt32());
            string token = first.GetProperty("access_token").GetString()!;
            Assert.InRange(token.Length, 32, 512);
            Assert.Equal(token, await emu.TokenAsync());
        }

        [Theory]
        [InlineData("corpsecret=x", 41002)]
        [InlineData("corpid=CORP", 41004)]
        [InlineData("corpid=ww0000000000000000&corpsecret=x", 40013)]
        [InlineData("corpid=CORP&corpsecret=not-the-secret", 40001)]
        public async Task Gettoken_rejects_missing_or_wrong_credentials_in_WeCom_style(string query, int errcode)
        {
            await using var emu = await EmulatorHarness.StartAsync();
            JsonElement answer = await emu.GetJsonAsync("/cgi-bin/gettoken?" + query.Replace("CORP", emu.Corp.CorpId, StringComparison.Ordinal));
            AssertWeComError(answer, errcode);
            Assert.DoesNotContain("not-the-secret", answer.GetProperty("errmsg").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain(emu.Corp.Secret, answer.GetRawText(), StringComparison.Ordinal);
        }

        [Fact]
        public async Task Calls_without_a_token_answer_41001_and_with_an_unknown_one_40014()
        {
            await using var emu = await EmulatorHarness.StartAsync();
            AssertWeComError(await emu.GetJsonAsync("/cgi-bin/tag/list"), 41001);
            AssertWeComError(await emu.GetJsonAsync("/cgi-bin/tag/list?access_token=nonsense"), 40014);
            AssertWeComError(await emu.GetJsonAsync("/cgi-bin/export/get_result?access_token=&jobid=x"), 41001);
        }

        [Fact]
        public async Task An_expired_token_answers_42001_and_gettoken_then_issues_a_new_one()
        {
            await using var emu = await EmulatorHarness.StartAsync(o => o.TokenLifetime = TimeSpan.FromSeconds(2));
            string token = await emu.TokenAsync();
            Assert.Equal(0, (await emu.GetJsonAsync($"/cgi-bin/tag/list?access_token={token}")).GetProperty("errcode").GetInt32());
            await Task.Delay(2300);
            AssertWeComError(await emu.GetJsonAsync($"/cgi-bin/tag/list?access_token={token}"), 42001);
            string fresh = await emu.TokenAsync();
            Assert.NotEqual(token, fresh);
            Assert.Equal(0, (await emu.GetJsonAsync($"/cgi-bin/tag/list?access_token={fresh}")).GetProperty("errcode").GetInt32());
        }

        [Fact]
        public async Task Each_corp_has_its_own_credentials_and_tokens()
        {
            await using var emu = await EmulatorHarness.StartAsync(o => o.Corps = 2);
            var (a, b) = (emu.Server.Corps[0], emu.Server.Corps[1]);
            Assert.NotEqual(a.CorpId, b.CorpId);
            AssertWeComError(await emu.GetJsonAsync($"/cgi-bin/gettoken?corpid={a.CorpId}&corpsecret={b.Secret}"), 40001);
            Assert.NotEqual(await emu.TokenAsync(a), await emu.TokenAsync(b));
        }

        /// <summary>errcode as given; errmsg with WeCom's hint, caller IP and "more info" link for that code.</summary>
        internal static void AssertWeComError(JsonElement answer, int errcode)
        {
            Assert.Equal(errcode, answer.GetProperty("errcode").GetInt32());
            string errmsg = answer.GetProperty("errmsg").GetString()!;
            Assert.Matches(@", hint: \[\d+\], from ip: [0-9.:a-f]+, more info at https://open\.work\.weixin\.qq\.com/devtool/query\?e=" + errcode + "$", errmsg);
        }
    }
}

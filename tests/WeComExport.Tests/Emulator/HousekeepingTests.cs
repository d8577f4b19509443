using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using WeComExport.Crypto;
using WeComExport.Emulator;
using WeComExport.Emulator.Api;
using Xunit;

namespace WeComExport.Tests.Emulator
{
    /// <summary>A long-running emulator forgets what has expired: old tokens, old jobs with their files, and their callback records.</summary>
    public class HousekeepingTests
    {
        [Fact]
        public async Task Issuing_a_token_sweeps_revoked_tokens_and_those_expired_past_the_retention()
        {
            var corp = new EmulatorCorp(1, 0, 10);
            var store = new TokenStore(TimeSpan.FromMilliseconds(1), retention: TimeSpan.Zero);
            store.Issue(corp);
            await Task.Delay(20);
            string second = store.Issue(corp).Token;
            Assert.Equal(1, store.Count);
            store.Revoke(null);
            store.Issue(corp);
            Assert.Equal(1, store.Count);
            Assert.Equal(TokenStore.Verdict.Invalid, store.Check(second, out _));
        }

        [Fact]
        public async Task An_expired_token_is_remembered_within_the_retention_so_it_still_answers_42001()
        {
            var corp = new EmulatorCorp(1, 0, 10);
            var store = new TokenStore(TimeSpan.FromMilliseconds(1), retention: TimeSpan.FromHours(1));
            string first = store.Issue(corp).Token;
            await Task.Delay(20);
            store.Issue(corp);
            Assert.Equal(2, store.Count);
            Assert.Equal(TokenStore.Verdict.Expired, store.Check(first, out _));
        }

        [Fact]
        public async Task A_job_past_its_lifetime_is_purged_with_its_files_and_callback_record_and_its_URLs_answer_expired()
        {
            string dir = Path.Combine(Path.GetTempPath(), "wecom-emu-test-" + Guid.NewGuid().ToString("N"));
            string aesKey = EncodingAesKey.Generate().Reveal();
            await using var receiver = await CallbackReceiver.StartAsync();
            try
            {
                await using var emu = await EmulatorHarness.StartAsync(o =>
                {
                    o.DataDirectory = dir;
                    o.JobLifetime = TimeSpan.FromSeconds(1);
                    o.Callback = new CallbackOptions(receiver.Url, "tok", aesKey);
                });
                string token = await emu.TokenAsync();
                string oldJob = await emu.StartExportAsync(token, "department");
                string url = (await emu.WaitAsync(token, oldJob)).GetProperty("data_list")[0].GetProperty("url").GetString()!;
                Assert.True(await receiver.Arrived.WaitAsync(TimeSpan.FromSeconds(20)), "no callback arrived");
                string folder = Path.Combine(dir, emu.Corp.CorpId, oldJob);
                Assert.True(Directory.Exists(folder));

                await Task.Delay(1200);
                // Past the lifetime but not yet purged: the URL already answers as expired.
                using (HttpResponseMessage r = await emu.Http.GetAsync(url))
                {
                    Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
                    Assert.Equal("download url expired", await r.Content.ReadAsStringAsync());
                }

                string newJob = await emu.StartExportAsync(token, "department");
                Assert.Equal(1, emu.Server.State.Jobs.Count);
                Assert.False(Directory.Exists(folder));
                Assert.DoesNotContain(emu.Server.State.Callbacks.Deliveries(), d => d.JobId == oldJob);
                using (HttpResponseMessage r = await emu.Http.GetAsync(url))
                {
                    Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
                    Assert.Equal("download url expired", await r.Content.ReadAsStringAsync());
                }

                // A fileid the emulator never signed is still simply unknown.
                using (HttpResponseMessage r = await emu.Http.GetAsync("/downloadobject?fileid=0123&authkey=1-00"))
                {
                    Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
                }

                Assert.Equal(2, (await emu.WaitAsync(token, newJob)).GetProperty("status").GetInt32());
            }
            finally
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        }

        [Fact]
        public async Task A_download_of_a_job_removed_by_DELETE_jobs_answers_expired_not_404()
        {
            await using var emu = await EmulatorHarness.StartAsync();
            string token = await emu.TokenAsync();
            string url = (await emu.WaitAsync(token, await emu.StartExportAsync(token, "department"))).GetProperty("data_list")[0].GetProperty("url").GetString()!;
            using (HttpResponseMessage removed = await emu.Http.DeleteAsync("/_emulator/jobs"))
            {
                Assert.Equal(1, JsonDocument.Parse(await removed.Content.ReadAsStringAsync()).RootElement.GetProperty("removed").GetInt32());
            }

            using HttpResponseMessage r = await emu.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.Equal("download url expired", await r.Content.ReadAsStringAsync());
        }
    }
}

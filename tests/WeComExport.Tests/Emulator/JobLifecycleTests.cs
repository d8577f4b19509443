using System;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace WeComExport.Tests.Emulator
{
    public class JobLifecycleTests
    {
        [Fact]
        public async Task A_new_job_is_in_status_0_during_the_job_delay_without_a_data_list()
        {
            await using var emu = await EmulatorHarness.StartAsync(o => o.JobDelay = TimeSpan.FromSeconds(30));
            string token = await emu.TokenAsync();
            JsonElement result = await emu.ResultAsync(token, await emu.StartExportAsync(token, "user"));
            Assert.Equal(0, result.GetProperty("errcode").GetInt32());
            Assert.Equal(0, result.GetProperty("status").GetInt32());
            Assert.False(result.TryGetProperty("data_list", out _));
        }

        [Fact]
        public async Task A_job_reaches_status_1_and_stays_there_during_the_prepare_delay()
        {
            await using var emu = await EmulatorHarness.StartAsync(o => o.PrepareDelay = TimeSpan.FromSeconds(30));
            string token = await emu.TokenAsync();
            string jobId = await emu.StartExportAsync(token, "user");
            DateTime deadline = DateTime.UtcNow.AddSeconds(20);
            int status;
            do
            {
                await Task.Delay(20);
                status = (await emu.ResultAsync(token, jobId)).GetProperty("status").GetInt32();
            }
            while (status == 0 && DateTime.UtcNow < deadline);
            Assert.Equal(1, status);
            Assert.False((await emu.ResultAsync(token, jobId)).TryGetProperty("data_list", out _));
        }

        [Fact]
        public async Task A_done_job_lists_one_entry_per_block_with_url_size_and_md5()
        {
            await using var emu = await EmulatorHarness.StartAsync();
            string token = await emu.TokenAsync();
            JsonElement result = await emu.WaitAsync(token, await emu.StartExportAsync(token, "simple_user", blockSize: 25));
            Assert.Equal(2, result.GetProperty("status").GetInt32());
            JsonElement list = result.GetProperty("data_list");
            Assert.Equal(3, list.GetArrayLength());
            for (int i = 0; i < 3; i++)
            {
                string url = list[i].GetProperty("url").GetString()!;
                Assert.StartsWith(emu.Server.BaseUri + "downloadobject?fileid=", url + "", StringComparison.Ordinal);
                Assert.Contains("&authkey=", url, StringComparison.Ordinal);
                Assert.EndsWith($"&filename=data_{i}.json", url, StringComparison.Ordinal);
                Assert.Equal(0, list[i].GetProperty("size").GetInt64() % 32);
                Assert.Matches("^[0-9a-f]{32}$", list[i].GetProperty("md5").GetString());
            }
        }

        [Fact]
        public async Task Jobs_of_one_corp_run_side_by_side_with_their_own_keys()
        {
            await using var emu = await EmulatorHarness.StartAsync();
            string token = await emu.TokenAsync();
            string otherKey = WeComExport.Crypto.EncodingAesKey.Generate().Reveal();
            string a = await emu.StartExportAsync(token, "department");
            string b = await emu.StartExportAsync(token, "department", key: otherKey);
            Assert.NotEqual(a, b);
            JsonElement ra = await emu.WaitAsync(token, a);
            JsonElement rb = await emu.WaitAsync(token, b);
            byte[] ca = await emu.Http.GetByteArrayAsync(ra.GetProperty("data_list")[0].GetProperty("url").GetString());
            byte[] cb = await emu.Http.GetByteArrayAsync(rb.GetProperty("data_list")[0].GetProperty("url").GetString());
            Assert.NotEqual(ca, cb);
            Assert.Equal(EmulatorHarness.Decrypt(ca, EmulatorHarness.Key), EmulatorHarness.Decrypt(cb, otherKey));
        }
    }
}

using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace WeComExport.Tests.Emulator
{
    public class DownloadTests
    {
        private static async Task<(EmulatorHarness Emu, string Token, string JobId, string Url, byte[] Whole)> OneBlockAsync(Action<WeComExport.Emulator.EmulatorOptions>? configure = null)
        {
            var emu = await EmulatorHarness.StartAsync(configure);
            string token = await emu.TokenAsync();
            string jobId = await emu.StartExportAsync(token, "user");
            JsonElement result = await emu.WaitAsync(token, jobId);
            string url = result.GetProperty("data_list")[0].GetProperty("url").GetString()!;
            byte[] whole = await emu.Http.GetByteArrayAsync(url);
            return (emu, token, jobId, url, whole);
        }

        private static async Task<HttpResponseMessage> GetRangeAsync(HttpClient http, string url, string range)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Range", range);
            return await http.SendAsync(request);
        }

        [Fact]
        public async Task A_whole_download_is_200_with_Accept_Ranges_and_the_ciphertext()
        {
            var (emu, _, _, url, whole) = await OneBlockAsync();
            await using (emu)
            {
                using HttpResponseMessage response = await emu.Http.GetAsync(url);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
                Assert.Equal(whole.Length, response.Content.Headers.ContentLength);
                Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
                Assert.Equal(whole, await response.Content.ReadAsByteArrayAsync());
            }
        }

        [Fact]
        public async Task With_block_encoding_base64_a_block_is_the_base64_text_of_its_ciphertext_and_announced_as_such()
        {
            await using var emu = await EmulatorHarness.StartAsync(o => o.BlockEncoding = "base64");
            string token = await emu.TokenAsync();
            JsonElement entry = (await emu.WaitAsync(token, await emu.StartExportAsync(token, "department"))).GetProperty("data_list")[0];
            byte[] text = await emu.Http.GetByteArrayAsync(entry.GetProperty("url").GetString());

            Assert.Equal(entry.GetProperty("size").GetInt64(), text.Length);
            Assert.Equal(entry.GetProperty("md5").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(text)));
            string base64 = System.Text.Encoding.ASCII.GetString(text);
            Assert.Matches("^[A-Za-z0-9+/]+={0,2}$", base64);
            using JsonDocument document = JsonDocument.Parse(EmulatorHarness.Decrypt(Convert.FromBase64String(base64), EmulatorHarness.Key));
            Assert.True(document.RootElement.GetProperty("department").GetArrayLength() > 0);
        }

        [Theory]
        [InlineData("bytes=0-99", 0, 99)]
        [InlineData("bytes=100-", 100, -1)]
        [InlineData("bytes=-50", -50, -1)]
        [InlineData("bytes=10-999999999", 10, -1)]
        [InlineData("bytes=7-7", 7, 7)]
        public async Task A_range_is_206_with_a_correct_Content_Range_and_those_bytes(string range, int first, int last)
        {
            var (emu, _, _, url, whole) = await OneBlockAsync();
            await using (emu)
            {
                int size = whole.Length;
                int start = first < 0 ? size + first : first;
                int end = last < 0 ? size - 1 : last;
                using HttpResponseMessage response = await GetRangeAsync(emu.Http, url, range);
                Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
                ContentRangeHeaderValue contentRange = response.Content.Headers.ContentRange!;
                Assert.Equal(start, contentRange.From);
                Assert.Equal(end, contentRange.To);
                Assert.Equal(size, contentRange.Length);
                Assert.Equal(whole[start..(end + 1)], await response.Content.ReadAsByteArrayAsync());
            }
        }

        [Theory]
        [InlineData("bytes=SIZE-")]
        [InlineData("bytes=SIZE-SIZE")]
        [InlineData("bytes=-0")]
        public async Task A_range_beyond_the_end_is_416_with_the_size(string range)
        {
            var (emu, _, _, url, whole) = await OneBlockAsync();
            await using (emu)
            {
                using HttpResponseMessage response = await GetRangeAsync(emu.Http, url, range.Replace("SIZE", whole.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
                Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
                Assert.Equal("bytes */" + whole.Length, response.Content.Headers.GetValues("Content-Range").Single());
            }
        }

        [Theory]
        [InlineData("bytes=0-1,5-6")]
        [InlineData("items=0-5")]
        [InlineData("bytes=9-3")]
        public async Task A_range_the_server_does_not_serve_as_asked_falls_back_to_the_whole_body(string range)
        {
            var (emu, _, _, url, whole) = await OneBlockAsync();
            await using (emu)
            {
                using HttpResponseMessage response = await GetRangeAsync(emu.Http, url, range);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(whole, await response.Content.ReadAsByteArrayAsync());
            }
        }

        [Fact]
        public async Task Range_downloads_resumed_piece_by_piece_rebuild_the_block()
        {
            var (emu, _, _, url, whole) = await OneBlockAsync();
            await using (emu)
            {
                var rebuilt = new System.Collections.Generic.List<byte>();
                for (int start = 0; start < whole.Length; start += 1000)
                {
                    using HttpResponseMessage r = await GetRangeAsync(emu.Http, url, $"bytes={start}-{start + 999}");
                    rebuilt.AddRange(await r.Content.ReadAsByteArrayAsync());
                }

                Assert.Equal(whole, rebuilt.ToArray());
            }
        }

        [Fact]
        public async Task A_URL_expires_after_its_lifetime_with_403_and_get_result_then_gives_fresh_ones()
        {
            await using var emu = await EmulatorHarness.StartAsync(o => o.UrlLifetime = TimeSpan.FromSeconds(2));
            string token = await emu.TokenAsync();
            string jobId = await emu.StartExportAsync(token, "department");
            string url = (await emu.WaitAsync(token, jobId)).GetProperty("data_list")[0].GetProperty("url").GetString()!;
            await Task.Delay(2300);
            using HttpResponseMessage expired = await emu.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
            Assert.Equal("download url expired", await expired.Content.ReadAsStringAsync());
            string fresh = (await emu.ResultAsync(token, jobId)).GetProperty("data_list")[0].GetProperty("url").GetString()!;
            Assert.NotEqual(url, fresh);
            using HttpResponseMessage ok = await emu.Http.GetAsync(fresh);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        [Fact]
        public async Task A_tampered_authkey_is_403_and_an_unknown_fileid_404()
        {
            var (emu, _, _, url, _) = await OneBlockAsync();
            await using (emu)
            {
                string later = System.Text.RegularExpressions.Regex.Replace(url, @"authkey=(\d+)-", m => "authkey=" + (long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 3_600_000) + "-");
                using HttpResponseMessage tampered = await emu.Http.GetAsync(later);
                Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
                using HttpResponseMessage unknown = await emu.Http.GetAsync(System.Text.RegularExpressions.Regex.Replace(url, "fileid=[0-9a-f]+", "fileid=0000"));
                Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            }
        }

        [Fact]
        public async Task HEAD_gives_the_size_without_a_body()
        {
            var (emu, _, _, url, whole) = await OneBlockAsync();
            await using (emu)
            {
                using HttpResponseMessage response = await emu.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(whole.Length, response.Content.Headers.ContentLength);
            }
        }
    }
}

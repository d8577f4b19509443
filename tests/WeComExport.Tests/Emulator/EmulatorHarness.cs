using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using WeComExport.Emulator;
using Xunit;

namespace WeComExport.Tests.Emulator
{
    /// <summary>
    /// A small in-process emulator and a plain HttpClient that speaks to it over real loopback HTTP.
    /// The block decryption here is written with the platform's AES directly (not the engine's
    /// WeComCipher), so the emulator is not checked with code it shares.
    /// </summary>
    internal sealed class EmulatorHarness : IAsyncDisposable
    {
        public const string Key = "IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2";

        private EmulatorHarness(EmulatorServer server)
        {
            Server = server;
            Http = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        }

        public EmulatorServer Server { get; }

        public HttpClient Http { get; }

        public EmulatorCorp Corp => Server.Corps[0];

        public static async Task<EmulatorHarness> StartAsync(Action<EmulatorOptions>? configure = null)
        {
            var options = new EmulatorOptions { Members = 60, MinBlockSize = 1, JobDelay = TimeSpan.Zero };
            configure?.Invoke(options);
            return new EmulatorHarness(await EmulatorServer.StartAsync(options));
        }

        public async Task<JsonElement> GetJsonAsync(string url)
        {
            using HttpResponseMessage response = await Http.GetAsync(url);
            Assert.Equal(200, (int)response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }

        public async Task<JsonElement> PostJsonAsync(string url, string body)
        {
            using HttpResponseMessage response = await Http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(200, (int)response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }

        /// <summary>POSTs <paramref name="body"/> to a control endpoint, asserts 400, and returns the {"error":...} text.</summary>
        public async Task<string> PostRefusedAsync(string url, string body)
        {
            using HttpResponseMessage response = await Http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        }

        public async Task<string> TokenAsync(EmulatorCorp? corp = null)
        {
            corp ??= Corp;
            JsonElement answer = await GetJsonAsync($"/cgi-bin/gettoken?corpid={corp.CorpId}&corpsecret={corp.Secret}");
            Assert.Equal(0, answer.GetProperty("errcode").GetInt32());
            return answer.GetProperty("access_token").GetString()!;
        }

        public async Task<string> StartExportAsync(string token, string kind, int? blockSize = null, long? tagId = null, string key = Key)
        {
            string body = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["encoding_aeskey"] = key,
                ["block_size"] = blockSize,
                ["tagid"] = tagId,
            }.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value));
            JsonElement answer = await PostJsonAsync($"/cgi-bin/export/{kind}?access_token={token}", body);
            Assert.Equal(0, answer.GetProperty("errcode").GetInt32());
            return answer.GetProperty("jobid").GetString()!;
        }

        public Task<JsonElement> ResultAsync(string token, string jobId) =>
            GetJsonAsync($"/cgi-bin/export/get_result?access_token={token}&jobid={jobId}");

        /// <summary>Polls until status 2 or 3 (at most 30 s) and returns the last answer.</summary>
        public async Task<JsonElement> WaitAsync(string token, string jobId)
        {
            DateTime deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                JsonElement result = await ResultAsync(token, jobId);
                Assert.Equal(0, result.GetProperty("errcode").GetInt32());
                int status = result.GetProperty("status").GetInt32();
                if (status is 2 or 3)
                {
                    return result;
                }

                Assert.True(DateTime.UtcNow < deadline, "The job did not end within 30 s.");
                await Task.Delay(20);
            }
        }

        /// <summary>A token and the id of a finished export of <paramref name="kind"/>.</summary>
        public async Task<(string Token, string JobId)> FinishedJobAsync(string kind)
        {
            string token = await TokenAsync();
            string jobId = await StartExportAsync(token, kind);
            await WaitAsync(token, jobId);
            return (token, jobId);
        }

        public async Task<JsonElement[]> ExportAsync(string kind, int? blockSize = null, long? tagId = null)
        {
            string token = await TokenAsync();
            JsonElement result = await WaitAsync(token, await StartExportAsync(token, kind, blockSize, tagId));
            Assert.Equal(2, result.GetProperty("status").GetInt32());
            var documents = new List<JsonElement>();
            foreach (JsonElement entry in result.GetProperty("data_list").EnumerateArray())
            {
                byte[] cipher = await Http.GetByteArrayAsync(entry.GetProperty("url").GetString());
                Assert.Equal(entry.GetProperty("size").GetInt64(), cipher.Length);
                Assert.Equal(entry.GetProperty("md5").GetString(), Convert.ToHexStringLower(MD5.HashData(cipher)));
                documents.Add(JsonDocument.Parse(Decrypt(cipher, Key)).RootElement.Clone());
            }

            return documents.ToArray();
        }

        /// <summary>AES-256-CBC, IV = key[0..16], then the 32-byte PKCS#7 pad checked and stripped by hand.</summary>
        public static byte[] Decrypt(byte[] cipher, string encodingAesKey)
        {
            byte[] key = Convert.FromBase64String(encodingAesKey + "=");
            using var aes = Aes.Create();
            aes.Key = key;
            byte[] padded = aes.DecryptCbc(cipher, key.AsSpan(0, 16), PaddingMode.None);
            int pad = padded[^1];
            Assert.InRange(pad, 1, 32);
            Assert.All(padded[^pad..], b => Assert.Equal(pad, b));
            return padded[..^pad];
        }

        public static string Sha256OfSorted(IEnumerable<string> ids)
        {
            string[] sorted = ids.ToArray();
            Array.Sort(sorted, StringComparer.Ordinal);
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", sorted))));
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Server.DisposeAsync();
        }
    }
}

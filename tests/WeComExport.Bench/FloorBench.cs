using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;

namespace WeComExport.Bench
{
    /// <summary>
    /// Measure (1), the floor: the least work any client of the export API does. For each block, one after
    /// another: one streaming pass HTTP body → MD5 + AES-256-CBC decrypt (<see cref="FloorCipherStream"/>) →
    /// a bare Utf8JsonReader scan counting the objects in the list; no spool file, no record objects. The MD5 is
    /// checked at the end of each block. (The module must also spool each block to disk and verify it before
    /// decrypting: no record may exist before the MD5 is known.) Timed from get_result to the last block's end.
    /// </summary>
    internal static class FloorBench
    {
        public static async Task RunAsync(BenchJob job)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromHours(1) };
            string token = (await GetJsonAsync(http, job.Api($"/cgi-bin/gettoken?corpid={job.CorpId}&corpsecret={Uri.EscapeDataString(job.Secret)}")).ConfigureAwait(false))
                .RootElement.GetProperty("access_token").GetString()!;

            var clock = Stopwatch.StartNew();
            using JsonDocument result = await GetJsonAsync(http, job.Api($"/cgi-bin/export/get_result?access_token={token}&jobid={job.JobId}")).ConfigureAwait(false);
            JsonElement blocks = result.RootElement.GetProperty("data_list");
            long records = 0;
            long bytes = 0;
            foreach (JsonElement block in blocks.EnumerateArray())
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri(block.GetProperty("url").GetString()!), HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                using var plaintext = new FloorCipherStream(await response.Content.ReadAsStreamAsync().ConfigureAwait(false), job.Key);
                records += JsonListScan.CountListObjects(plaintext);
                string expected = block.GetProperty("md5").GetString()!;
                if (!string.Equals(plaintext.Md5Hex(), expected, StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidDataException($"Block MD5 {plaintext.Md5Hex()} is not the announced {expected}.");
                }

                bytes += plaintext.CipherBytes;
            }

            clock.Stop();
            BenchResult.Print("floor", clock.Elapsed.TotalSeconds, records, bytes, blocks.GetArrayLength());
        }

        private static async Task<JsonDocument> GetJsonAsync(HttpClient http, Uri uri)
        {
            using Stream body = await http.GetStreamAsync(uri).ConfigureAwait(false);
            JsonDocument document = await JsonDocument.ParseAsync(body).ConfigureAwait(false);
            if (document.RootElement.GetProperty("errcode").GetInt32() != 0)
            {
                throw new InvalidDataException($"{uri.AbsolutePath}: {document.RootElement}");
            }

            return document;
        }
    }
}

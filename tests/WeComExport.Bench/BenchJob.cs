using System;
using System.IO;
using System.Text.Json;

namespace WeComExport.Bench
{
    /// <summary>
    /// The job a measurement child receives, as the harness (tests/bench/Invoke-Bench.ps1) wrote it to a JSON file
    /// after starting it once on the emulator: where the API is, whose it is, the job id and its key, and what it holds.
    /// </summary>
    internal sealed record BenchJob(string BaseUri, string CorpId, string Secret, string JobId, string Key, long Members, long Bytes)
    {
        public static BenchJob Load(string path)
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = document.RootElement;
            string Text(string name) => root.GetProperty(name).GetString() ?? throw new InvalidDataException($"{path}: '{name}' is null.");
            return new BenchJob(Text("baseUri"), Text("corpId"), Text("secret"), Text("jobId"), Text("key"), root.GetProperty("members").GetInt64(), root.GetProperty("bytes").GetInt64());
        }

        public Uri Api(string pathAndQuery) => new(BaseUri.TrimEnd('/') + pathAndQuery);
    }
}

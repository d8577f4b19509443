using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using WeComExport.Emulator;
using WeComExport.Emulator.Hosting;
using Xunit;

namespace WeComExport.Tests.Emulator
{
    public class CommandLineTests
    {
        [Fact]
        public void Options_parse_into_their_settings()
        {
            EmulatorOptions o = CommandLine.Parse(new[]
            {
                "--members", "100000", "--corps", "3", "--seed", "42", "--port", "0", "--bind", "127.0.0.1",
                "--token-lifetime", "60", "--url-lifetime", "30", "--job-delay", "250", "--prepare-delay", "1500",
                "--data-dir", "/tmp/x", "--fault", "system-busy:3", "--fault", "slow:p=0.1:delayMs=50",
                "--callback-url", "http://127.0.0.1:9/cb", "--callback-token", "t", "--callback-aes-key", EmulatorHarness.Key,
                "--callback-tag-jobtype", "export_tag", "--exit-on-stdin-close", "--min-block-size", "1",
            })!;
            Assert.Equal(100000, o.Members);
            Assert.Equal(3, o.Corps);
            Assert.Equal(42, o.Seed);
            Assert.Equal(TimeSpan.FromSeconds(60), o.TokenLifetime);
            Assert.Equal(TimeSpan.FromSeconds(30), o.UrlLifetime);
            Assert.Equal(TimeSpan.FromMilliseconds(250), o.JobDelay);
            Assert.Equal(TimeSpan.FromMilliseconds(1500), o.PrepareDelay);
            Assert.Equal("/tmp/x", o.DataDirectory);
            Assert.Equal(new[] { "system-busy:3", "slow:p=0.1:delayMs=50" }, o.Faults);
            Assert.Equal("export_tag", o.Callback!.TagJobType);
            Assert.DoesNotContain(EmulatorHarness.Key, o.Callback.ToString(), StringComparison.Ordinal);
            Assert.True(o.ExitOnStdinClose);
            Assert.Equal(1, o.MinBlockSize);
        }

        [Theory]
        [InlineData("--members", "many")]
        [InlineData("--bogus")]
        [InlineData("--port")]
        [InlineData("--callback-url", "http://x/")]
        [InlineData("--token-lifetime", "-5")]
        public void Bad_options_say_what_is_wrong(params string[] args)
        {
            Assert.Throws<ArgumentException>(() => CommandLine.Parse(args));
        }

        private static Process StartEmulatorProcess(params string[] args)
        {
            string dll = typeof(EmulatorServer).Assembly.Location;
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            start.ArgumentList.Add(dll);
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            return Process.Start(start)!;
        }

        [Fact]
        public async Task The_command_line_prints_one_JSON_line_serves_and_stops_on_the_shutdown_endpoint()
        {
            using Process process = StartEmulatorProcess("--members", "20", "--corps", "2", "--port", "0");
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            string line = (await process.StandardOutput.ReadLineAsync())!;
            JsonElement start = JsonDocument.Parse(line).RootElement;
            var baseUri = new Uri(start.GetProperty("baseUri").GetString()!);
            Assert.Equal("127.0.0.1", baseUri.Host);
            Assert.Equal(2, start.GetProperty("corps").GetArrayLength());
            JsonElement corp = start.GetProperty("corps")[0];
            Assert.Matches("^ww[0-9a-f]{16}$", corp.GetProperty("corpId").GetString());
            Assert.Equal(43, corp.GetProperty("secret").GetString()!.Length);
            Assert.Equal(1000002, corp.GetProperty("agentId").GetInt32());

            using var http = new HttpClient { BaseAddress = baseUri };
            JsonElement token = JsonDocument.Parse(await http.GetStringAsync($"/cgi-bin/gettoken?corpid={corp.GetProperty("corpId").GetString()}&corpsecret={corp.GetProperty("secret").GetString()}")).RootElement;
            Assert.Equal(0, token.GetProperty("errcode").GetInt32());
            using HttpResponseMessage stop = await http.PostAsync("/_emulator/shutdown", null);
            Assert.True(process.WaitForExit(15_000), "the emulator did not stop");
            Assert.Equal(0, process.ExitCode);
            Assert.Equal(string.Empty, await process.StandardOutput.ReadToEndAsync());
            Assert.DoesNotContain(token.GetProperty("access_token").GetString()!, await stderr, StringComparison.Ordinal);
        }

        [Fact]
        public async Task With_exit_on_stdin_close_the_emulator_stops_when_its_parent_closes_stdin()
        {
            using Process process = StartEmulatorProcess("--members", "10", "--exit-on-stdin-close");
            Assert.StartsWith("{\"baseUri\":", await process.StandardOutput.ReadLineAsync(), StringComparison.Ordinal);
            process.StandardInput.Close();
            Assert.True(process.WaitForExit(15_000), "the emulator did not stop");
            Assert.Equal(0, process.ExitCode);
        }

        [Fact]
        public async Task SIGTERM_stops_the_emulator_cleanly()
        {
            using Process process = StartEmulatorProcess("--members", "10");
            Assert.StartsWith("{\"baseUri\":", await process.StandardOutput.ReadLineAsync(), StringComparison.Ordinal);
            await ExternalTool.RunAsync("kill", "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(process.WaitForExit(15_000), "the emulator did not stop");
            Assert.Equal(0, process.ExitCode);
        }

        [Fact]
        public async Task A_bad_option_exits_with_code_2_and_a_message_on_stderr()
        {
            using Process process = StartEmulatorProcess("--fault", "nonsense:1");
            string error = await process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(15_000));
            Assert.Equal(2, process.ExitCode);
            Assert.Contains("Unknown fault kind", error, StringComparison.Ordinal);
            Assert.Equal(string.Empty, await process.StandardOutput.ReadToEndAsync());
        }

        [Fact]
        public async Task The_data_directory_given_is_used_and_kept()
        {
            string dir = Path.Combine(Path.GetTempPath(), "wecom-emu-test-" + Guid.NewGuid().ToString("N"));
            try
            {
                await using (var emu = await EmulatorHarness.StartAsync(o => o.DataDirectory = dir))
                {
                    await emu.ExportAsync("department");
                }

                Assert.NotEmpty(Directory.GetFiles(dir, "data_0.bin", SearchOption.AllDirectories));
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}

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
                "--callback-tag-jobtype", "export_taguser", "--exit-on-stdin-close", "--min-block-size", "1",
                "--contact-assistant-corps", "0, 2",
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
            Assert.Equal("export_taguser", o.Callback!.TagJobType);
            Assert.Equal(new[] { 0, 2 }, o.ContactAssistantCorps);
            Assert.DoesNotContain(EmulatorHarness.Key, o.Callback.ToString(), StringComparison.Ordinal);
            Assert.True(o.ExitOnStdinClose);
            Assert.Equal(1, o.MinBlockSize);
        }

        [Fact]
        public void The_tag_callback_JobType_defaults_to_export_tag_as_self_built_apps_receive_it()
        {
            EmulatorOptions o = CommandLine.Parse(new[] { "--callback-url", "http://127.0.0.1:9/cb", "--callback-token", "t", "--callback-aes-key", EmulatorHarness.Key })!;
            Assert.Equal("export_tag", o.Callback!.TagJobType);
            Assert.Equal("export_taguser", CommandLine.Parse(new[]
            {
                "--callback-url", "http://127.0.0.1:9/cb", "--callback-token", "t", "--callback-aes-key", EmulatorHarness.Key, "--callback-tag-jobtype", "export_taguser",
            })!.Callback!.TagJobType);
        }

        [Theory]
        [InlineData("--members", "many")]
        [InlineData("--bogus")]
        [InlineData("--port")]
        [InlineData("--callback-url", "http://x/")]
        [InlineData("--token-lifetime", "-5")]
        [InlineData("--callback-url", "ftp://127.0.0.1/cb", "--callback-token", "t", "--callback-aes-key", EmulatorHarness.Key)]
        [InlineData("--callback-url", "file:///tmp/cb", "--callback-token", "t", "--callback-aes-key", EmulatorHarness.Key)]
        [InlineData("--callback-retry-delay", "soon")]
        [InlineData("--contact-assistant-corps", "first")]
        [InlineData("--contact-assistant-corps")]
        public void Bad_options_say_what_is_wrong(params string[] args)
        {
            Assert.Throws<ArgumentException>(() => CommandLine.Parse(args));
        }

        [Theory]
        [InlineData("--token-lifetime", "1e20")]
        [InlineData("--token-lifetime", "Infinity")]
        [InlineData("--token-lifetime", "0")]
        [InlineData("--token-lifetime", "2592001")]
        [InlineData("--url-lifetime", "8e11")]
        [InlineData("--url-lifetime", "NaN")]
        [InlineData("--url-lifetime", "0.5")]
        [InlineData("--job-lifetime", "-Infinity")]
        [InlineData("--job-lifetime", "1e308")]
        [InlineData("--job-delay", "4294967296")]
        [InlineData("--job-delay", "86400001")]
        [InlineData("--prepare-delay", "1e19")]
        [InlineData("--callback-retry-delay", "86400001")]
        [InlineData("--callback-retry-delay", "-1")]
        [InlineData("--block-encoding", "hex")]
        public void Time_options_out_of_range_or_not_finite_are_refused_with_an_ArgumentException(string name, string value)
        {
            ArgumentException ex = Assert.Throws<ArgumentException>(() => CommandLine.Parse(new[] { name, value })!.Validate());
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        }

        [Fact]
        public void Time_options_accept_their_documented_bounds_and_the_callback_retry_delay_in_ms()
        {
            EmulatorOptions o = CommandLine.Parse(new[]
            {
                "--token-lifetime", "1", "--url-lifetime", "2592000", "--job-lifetime", "1.5",
                "--job-delay", "86400000", "--prepare-delay", "0", "--callback-retry-delay", "250",
            })!;
            o.Validate();
            Assert.Equal(TimeSpan.FromSeconds(1), o.TokenLifetime);
            Assert.Equal(TimeSpan.FromDays(30), o.UrlLifetime);
            Assert.Equal(TimeSpan.FromSeconds(1.5), o.JobLifetime);
            Assert.Equal(TimeSpan.FromDays(1), o.JobDelay);
            Assert.Equal(TimeSpan.Zero, o.PrepareDelay);
            Assert.Equal(TimeSpan.FromMilliseconds(250), o.CallbackRetryDelay);
            Assert.Equal("raw", o.BlockEncoding);
            Assert.Equal("base64", CommandLine.Parse(new[] { "--block-encoding", "base64" })!.BlockEncoding);
        }

        public static TheoryData<Action<EmulatorOptions>> OutOfRangeOptions => new()
        {
            o => o.TokenLifetime = TimeSpan.Zero,
            o => o.UrlLifetime = TimeSpan.FromDays(9_000_000),
            o => o.JobLifetime = TimeSpan.FromDays(31),
            o => o.JobDelay = TimeSpan.FromDays(50),
            o => o.PrepareDelay = TimeSpan.FromMilliseconds(-1),
            o => o.CallbackRetryDelay = TimeSpan.FromDays(2),
            o => o.Callback = new CallbackOptions(new Uri("ftp://127.0.0.1/cb"), "t", EmulatorHarness.Key),
            o => o.ContactAssistantCorps.Add(1),
            o => o.ContactAssistantCorps.Add(-1),
        };

        [Theory]
        [MemberData(nameof(OutOfRangeOptions))]
        public async Task In_process_options_out_of_range_are_refused_at_start(Action<EmulatorOptions> configure)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => EmulatorHarness.StartAsync(configure));
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

        [Theory]
        [InlineData("--token-lifetime", "1e20")]
        [InlineData("--token-lifetime", "Infinity")]
        [InlineData("--url-lifetime", "8e11")]
        [InlineData("--job-delay", "5e9")]
        public async Task A_time_option_out_of_range_exits_with_code_2_and_no_stack_trace(string name, string value)
        {
            using Process process = StartEmulatorProcess(name, value);
            string error = await process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(15_000));
            Assert.Equal(2, process.ExitCode);
            Assert.StartsWith("emulator: ", error, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
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

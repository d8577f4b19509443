using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Emulator;
using WeComExport.Emulator.Faults;
using WeComExport.Emulator.Hosting;

// The emulator from the command line: start, print ONE JSON line on stdout (base URI and each corp's
// id and secret, so scripts can parse it), then run until SIGINT/SIGTERM, /_emulator/shutdown, or
// (opt-in) the end of stdin.
EmulatorOptions? options;
try
{
    options = CommandLine.Parse(args);
    if (options is null)
    {
        Console.Error.WriteLine(CommandLine.Usage);
        return 0;
    }

    options.Validate();
    foreach (string spec in options.Faults)
    {
        FaultRule.Parse(spec);
    }
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine("emulator: " + ex.Message);
    return 2;
}

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}

using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

EmulatorServer server;
try
{
    server = await EmulatorServer.StartAsync(options);
}
catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException)
{
    Console.Error.WriteLine("emulator: could not start: " + ex.Message);
    return 1;
}

await using (server)
{
    using (var stdout = Console.OpenStandardOutput())
    using (var json = new Utf8JsonWriter(stdout))
    {
        json.WriteStartObject();
        json.WriteString("baseUri", server.BaseUri.ToString().TrimEnd('/'));
        json.WriteStartArray("corps");
        foreach (EmulatorCorp corp in server.Corps)
        {
            json.WriteStartObject();
            json.WriteString("corpId", corp.CorpId);
            json.WriteString("secret", corp.Secret);
            json.WriteNumber("agentId", corp.AgentId);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        stdout.Write("\n"u8);
        stdout.Flush();
    }

    Task stdinClosed = options.ExitOnStdinClose
        ? Task.Run(async () =>
        {
            using Stream stdin = Console.OpenStandardInput();
            byte[] buffer = new byte[256];
            while (await stdin.ReadAsync(buffer) > 0)
            {
                // Input is ignored; only its end matters.
            }
        })
        : Task.Delay(Timeout.Infinite);

    await Task.WhenAny(stop.Task, server.ShutdownRequested, stdinClosed);
    Console.Error.WriteLine("emulator: stopping");
}

return 0;

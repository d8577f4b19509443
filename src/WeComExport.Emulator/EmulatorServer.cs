using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeComExport.Emulator.Api;
using WeComExport.Emulator.Faults;
using WeComExport.Emulator.Hosting;

namespace WeComExport.Emulator
{
    /// <summary>
    /// A running emulator: Kestrel on <see cref="EmulatorOptions.Bind"/> (loopback by default) and a
    /// free port unless told otherwise. Start it with <see cref="StartAsync"/>, read <see cref="BaseUri"/>
    /// and <see cref="Corps"/>, and dispose it to stop it and delete its temporary data.
    /// </summary>
    public sealed class EmulatorServer : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly EmulatorState state;
        private readonly string dataDirectory;
        private readonly bool ownsDataDirectory;
        private int disposed;

        private EmulatorServer(WebApplication app, EmulatorState state, Uri baseUri, string dataDirectory, bool ownsDataDirectory)
        {
            this.app = app;
            this.state = state;
            this.dataDirectory = dataDirectory;
            this.ownsDataDirectory = ownsDataDirectory;
            BaseUri = baseUri;
        }

        /// <summary>Where the emulator answers, e.g. http://127.0.0.1:53117/ (as a Uri, with the root path).</summary>
        public Uri BaseUri { get; }

        public IReadOnlyList<EmulatorCorp> Corps => state.Corps;

        /// <summary>Completes when a client POSTs /_emulator/shutdown.</summary>
        public Task ShutdownRequested => state.ShutdownRequested.Task;

        internal EmulatorState State => state;

        public static async Task<EmulatorServer> StartAsync(EmulatorOptions options, CancellationToken ct = default)
        {
            ArgumentNullException.ThrowIfNull(options);
            options.Validate();
            var faults = options.Faults.Select(FaultRule.Parse).ToList();
            var corps = Enumerable.Range(0, options.Corps).Select(i => new EmulatorCorp(options.Seed, i, options.Members)).ToArray();
            foreach (EmulatorCorp corp in corps)
            {
                corp.Callback = options.Callback;
                corp.ContactAssistant = options.ContactAssistantCorps.Contains(corp.Index);
            }

            bool owns = options.DataDirectory is null;
            string dataDirectory = options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "wecom-emulator-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(dataDirectory);

            var state = new EmulatorState(options, corps, dataDirectory);
            foreach (FaultRule rule in faults)
            {
                state.Faults.Add(rule);
            }

            WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = RequestBody.DrainBytes;
                kestrel.Listen(ParseBind(options.Bind), options.Port);
            });
            if (Enum.TryParse(options.LogLevel, ignoreCase: true, out LogLevel level) && level != LogLevel.None && options.LogToStderr)
            {
                builder.Logging.SetMinimumLevel(level);
                // ASP.NET Core logs request URLs at Information and Debug, and URLs carry access_token: keep those quiet.
                builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
                builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
            }

            WebApplication app = builder.Build();
            var dispatcher = new RequestDispatcher(state);
            app.Run(dispatcher.HandleAsync);
            try
            {
                await app.StartAsync(ct);
            }
            catch
            {
                await app.DisposeAsync();
                await state.DisposeAsync();
                if (owns)
                {
                    System.IO.Directory.Delete(dataDirectory, recursive: true);
                }

                throw;
            }

            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new EmulatorServer(app, state, new Uri(address.TrimEnd('/')), dataDirectory, owns);
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0)
            {
                return;
            }

            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            {
                await app.StopAsync(timeout.Token);
            }

            await app.DisposeAsync();
            await state.DisposeAsync();
            if (ownsDataDirectory)
            {
                try
                {
                    System.IO.Directory.Delete(dataDirectory, recursive: true);
                }
                catch (IOException)
                {
                    // Best effort: a temp folder left behind is harmless.
                }
            }
        }

        public override string ToString() => $"WeCom emulator at {BaseUri} with {Corps.Count} corp(s)";

        private static IPAddress ParseBind(string bind) => bind switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" => IPAddress.Any,
            _ => IPAddress.TryParse(bind, out IPAddress? address) ? address : throw new ArgumentException($"--bind '{bind}' is not an IP address."),
        };
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;

namespace WeComExport.Emulator.Hosting
{
    /// <summary>Turns the command line into <see cref="EmulatorOptions"/>; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    internal static class CommandLine
    {
        public const string Usage = """
            WeCom export API emulator. Prints one JSON line {"baseUri":...,"corps":[...]} on stdout, then logs to stderr.
              --members N              members per corp (default 1000)
              --corps N                number of corps (default 1)
              --seed N                 seed of directories, corp ids and secrets (default 1)
              --port N                 TCP port, 0 = a free one (default 0)
              --bind ADDR              address to bind (default 127.0.0.1)
              --token-lifetime S       access token lifetime in seconds, 1..2592000 (default 7200)
              --url-lifetime S         download URL lifetime in seconds, 1..2592000 (default 7200)
              --job-lifetime S         how long a jobid stays readable, 1..2592000 s (default 604800)
              --job-delay MS           time in status 0, 0..86400000 (default 100)
              --prepare-delay MS       extra time in status 1, 0..86400000 (default 0)
              --min-block-size N       smallest block_size accepted (default 10000)
              --max-block-size N       largest and default block_size (default 1000000)
              --block-encoding E       raw (default, as WeCom) or base64 (blocks served as Base64 text)
              --data-dir PATH          where blocks are written (default: a temp folder deleted on exit)
              --fault SPEC             kind:count or kind:p=0.1, then :status=503 :delayMs=500 :corpid=ID :path=/cgi-bin/...
                                       kinds: system-busy frequency-limit concurrency-limit http-500 slow drop-connection
                                       truncate corrupt-byte expire-url error-page fail-job revoke-token ip-not-allowed
                                       empty-job empty-result repeat-block (repeatable)
              --contact-assistant-corps LIST  corps (indexes from 0, e.g. 0,2) whose secret is the contacts-sync
                                       secret: export/simple_user, export/user and export/department answer 48009
              --callback-url URL       deliver batch_job_result events for every corp to URL
              --callback-token T       the callback Token
              --callback-aes-key K     the callback EncodingAESKey (43 characters)
              --callback-tag-jobtype J export_tag (default, self-built apps) or export_taguser (third-party apps)
              --callback-retry-delay MS time between callback attempts (default 1000)
              --exit-on-stdin-close    stop when standard input closes
              --log-level LEVEL        Trace, Debug, Information, Warning (default), Error, None
            Stops on Ctrl+C, SIGTERM, POST /_emulator/shutdown, or (with --exit-on-stdin-close) end of stdin.
            """;

        /// <summary>Parses <paramref name="args"/>; returns null when help was asked for.</summary>
        public static EmulatorOptions? Parse(IReadOnlyList<string> args)
        {
            var options = new EmulatorOptions { LogToStderr = true };
            string? callbackUrl = null, callbackToken = null, callbackKey = null, tagJobType = null;
            for (int i = 0; i < args.Count; i++)
            {
                string name = args[i];
                string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
                switch (name)
                {
                    case "--help" or "-h" or "-?":
                        return null;
                    case "--members":
                        options.Members = Int(name, Value());
                        break;
                    case "--corps":
                        options.Corps = Int(name, Value());
                        break;
                    case "--seed":
                        options.Seed = long.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long seed) ? seed : throw new ArgumentException("--seed needs an integer.");
                        break;
                    case "--port":
                        options.Port = Int(name, Value());
                        break;
                    case "--bind":
                        options.Bind = Value();
                        break;
                    case "--token-lifetime":
                        options.TokenLifetime = Seconds(name, Value());
                        break;
                    case "--url-lifetime":
                        options.UrlLifetime = Seconds(name, Value());
                        break;
                    case "--job-lifetime":
                        options.JobLifetime = Seconds(name, Value());
                        break;
                    case "--job-delay":
                        options.JobDelay = Milliseconds(name, Value());
                        break;
                    case "--prepare-delay":
                        options.PrepareDelay = Milliseconds(name, Value());
                        break;
                    case "--callback-retry-delay":
                        options.CallbackRetryDelay = Milliseconds(name, Value());
                        break;
                    case "--min-block-size":
                        options.MinBlockSize = Int(name, Value());
                        break;
                    case "--max-block-size":
                        options.MaxBlockSize = Int(name, Value());
                        break;
                    case "--block-encoding":
                        options.BlockEncoding = Value();
                        break;
                    case "--data-dir":
                        options.DataDirectory = Value();
                        break;
                    case "--fault":
                        options.Faults.Add(Value());
                        break;
                    case "--contact-assistant-corps":
                        foreach (string index in Value().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                        {
                            options.ContactAssistantCorps.Add(Int(name, index));
                        }

                        break;
                    case "--callback-url":
                        callbackUrl = Value();
                        break;
                    case "--callback-token":
                        callbackToken = Value();
                        break;
                    case "--callback-aes-key":
                        callbackKey = Value();
                        break;
                    case "--callback-tag-jobtype":
                        tagJobType = Value();
                        break;
                    case "--exit-on-stdin-close":
                        options.ExitOnStdinClose = true;
                        break;
                    case "--log-level":
                        options.LogLevel = Value();
                        break;
                    default:
                        throw new ArgumentException($"Unknown option '{name}'. Use --help to list the options.");
                }
            }

            if (callbackUrl is not null || callbackToken is not null || callbackKey is not null)
            {
                if (callbackUrl is null || callbackToken is null || callbackKey is null || !Uri.TryCreate(callbackUrl, UriKind.Absolute, out Uri? url))
                {
                    throw new ArgumentException("Callbacks need --callback-url (an absolute URL), --callback-token and --callback-aes-key together.");
                }

                // Same rule as POST /_emulator/callback: HttpClient cannot deliver to file:, ftp: and the like.
                if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
                {
                    throw new ArgumentException($"--callback-url must be an http or https URL, not '{url.Scheme}:'.");
                }

                string? keyProblem = WeComExport.Crypto.EncodingAesKey.Validate(callbackKey);
                if (keyProblem is not null)
                {
                    throw new ArgumentException("--callback-aes-key: " + keyProblem);
                }

                if (tagJobType is not (null or "export_taguser" or "export_tag"))
                {
                    throw new ArgumentException("--callback-tag-jobtype must be export_tag or export_taguser.");
                }

                options.Callback = new CallbackOptions(url, callbackToken, callbackKey, tagJobType ?? CallbackOptions.DefaultTagJobType);
            }

            return options;
        }

        private static int Int(string name, string value) =>
            int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : throw new ArgumentException($"{name} needs an integer, not '{value}'.");

        private static TimeSpan Seconds(string name, string value) => Duration(name, value, 1000, "seconds");

        private static TimeSpan Milliseconds(string name, string value) => Duration(name, value, 1, "milliseconds");

        /// <summary>
        /// A non-negative, finite number of units as a TimeSpan. NaN, Infinity and values too large for a
        /// TimeSpan are refused here with a message (TimeSpan.FromSeconds would throw OverflowException);
        /// the option's real range is checked by <see cref="EmulatorOptions.Validate"/>.
        /// </summary>
        private static TimeSpan Duration(string name, string value, double millisecondsPerUnit, string unit)
        {
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) || !double.IsFinite(n) || n < 0)
            {
                throw new ArgumentException($"{name} needs a non-negative number of {unit}, not '{value}'.");
            }

            double ms = n * millisecondsPerUnit;
            if (ms > TimeSpan.MaxValue.TotalMilliseconds / 2)
            {
                throw new ArgumentException($"{name} {value} is far too large (see --help for the allowed range).");
            }

            return TimeSpan.FromMilliseconds(ms);
        }
    }
}

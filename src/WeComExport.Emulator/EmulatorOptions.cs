using System;
using System.Collections.Generic;

namespace WeComExport.Emulator
{
    /// <summary>
    /// Everything the emulator can be told at start; each property matches a command-line option
    /// (see docs/emulator.md). Defaults follow WeCom's documented behaviour.
    /// </summary>
    public sealed class EmulatorOptions
    {
        /// <summary>Members in each corp's synthetic directory (--members).</summary>
        public int Members { get; set; } = 1000;

        /// <summary>How many corps to serve (--corps).</summary>
        public int Corps { get; set; } = 1;

        /// <summary>Seed of the synthetic directories, corp ids and secrets (--seed).</summary>
        public long Seed { get; set; } = 1;

        /// <summary>TCP port; 0 picks a free one (--port).</summary>
        public int Port { get; set; }

        /// <summary>Address to bind; loopback unless told otherwise (--bind).</summary>
        public string Bind { get; set; } = "127.0.0.1";

        /// <summary>Lifetime of an access token (--token-lifetime SECONDS).</summary>
        public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromSeconds(7200);

        /// <summary>Lifetime of a block download URL from the get_result call that issued it (--url-lifetime SECONDS).</summary>
        public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromSeconds(7200);

        /// <summary>Time a job stays in status 0 before it starts (--job-delay MS).</summary>
        public TimeSpan JobDelay { get; set; } = TimeSpan.FromMilliseconds(100);

        /// <summary>Extra time a job stays in status 1 after its blocks are written (--prepare-delay MS).</summary>
        public TimeSpan PrepareDelay { get; set; } = TimeSpan.Zero;

        /// <summary>How long a job id stays readable (--job-lifetime SECONDS); WeCom keeps jobs 7 days.</summary>
        public TimeSpan JobLifetime { get; set; } = TimeSpan.FromDays(7);

        /// <summary>Where blocks are written; null = a temp folder deleted when the server stops (--data-dir).</summary>
        public string? DataDirectory { get; set; }

        /// <summary>Smallest block_size accepted (--min-block-size); WeCom's is 10^4, tests lower it to get many small blocks.</summary>
        public int MinBlockSize { get; set; } = 10_000;

        /// <summary>Largest block_size accepted, also the default (--max-block-size); WeCom's is 10^6.</summary>
        public int MaxBlockSize { get; set; } = 1_000_000;

        /// <summary>How blocks are served (--block-encoding): <c>raw</c> ciphertext as WeCom does, or <c>base64</c> text of it.</summary>
        public string BlockEncoding { get; set; } = RawEncoding;

        /// <summary>Faults active from the start, in the --fault syntax ("kind:count", "kind:p=0.1", extra ":key=value").</summary>
        public IList<string> Faults { get; } = new List<string>();

        /// <summary>
        /// Indexes (from 0) of the corps whose secret acts as the contacts-sync (通讯录同步) secret: their member and
        /// department exports answer 48009 "api forbidden for contact assistant" (--contact-assistant-corps 0,2).
        /// </summary>
        public IList<int> ContactAssistantCorps { get; } = new List<int>();

        /// <summary>Callback delivery for every corp from the start; null = none (--callback-url ...).</summary>
        public CallbackOptions? Callback { get; set; }

        /// <summary>Delay between callback delivery attempts (--callback-retry-delay MS); WeCom retries 3 times.</summary>
        public TimeSpan CallbackRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>Stop when standard input closes, so a parent that dies takes the emulator down (--exit-on-stdin-close).</summary>
        public bool ExitOnStdinClose { get; set; }

        /// <summary>Log level for stderr logging from the command line (--log-level); in-process servers do not log.</summary>
        public string LogLevel { get; set; } = "Warning";

        /// <summary>Whether to log to stderr at all; the command line turns it on, in-process servers stay quiet.</summary>
        public bool LogToStderr { get; set; }

        internal const string RawEncoding = "raw";

        internal const string Base64Encoding = "base64";

        /// <summary>Shortest <see cref="TokenLifetime"/>, <see cref="UrlLifetime"/> and <see cref="JobLifetime"/> accepted.</summary>
        internal static readonly TimeSpan MinLifetime = TimeSpan.FromSeconds(1);

        /// <summary>Longest lifetime accepted: 30 days (a longer one would overflow expiry arithmetic long before it mattered).</summary>
        internal static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

        /// <summary>Longest <see cref="JobDelay"/>, <see cref="PrepareDelay"/> and <see cref="CallbackRetryDelay"/> accepted: one day.</summary>
        internal static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

        internal void Validate()
        {
            CheckRange("TokenLifetime (--token-lifetime)", TokenLifetime, MinLifetime, MaxLifetime);
            CheckRange("UrlLifetime (--url-lifetime)", UrlLifetime, MinLifetime, MaxLifetime);
            CheckRange("JobLifetime (--job-lifetime)", JobLifetime, MinLifetime, MaxLifetime);
            CheckRange("JobDelay (--job-delay)", JobDelay, TimeSpan.Zero, MaxDelay);
            CheckRange("PrepareDelay (--prepare-delay)", PrepareDelay, TimeSpan.Zero, MaxDelay);
            CheckRange("CallbackRetryDelay (--callback-retry-delay)", CallbackRetryDelay, TimeSpan.Zero, MaxDelay);
            if (Callback is not null && Callback.Url.Scheme != Uri.UriSchemeHttp && Callback.Url.Scheme != Uri.UriSchemeHttps)
            {
                throw new ArgumentException("The callback URL must be an absolute http or https URL.");
            }

            if (Members < 1)
            {
                throw new ArgumentException("Members must be at least 1.");
            }

            if (Corps < 1 || Corps > 1000)
            {
                throw new ArgumentException("Corps must be between 1 and 1000.");
            }

            foreach (int index in ContactAssistantCorps)
            {
                if (index < 0 || index >= Corps)
                {
                    throw new ArgumentException(string.Create(
                        System.Globalization.CultureInfo.InvariantCulture,
                        $"ContactAssistantCorps (--contact-assistant-corps) names corp {index}; corps are numbered 0 to {Corps - 1}."));
                }
            }

            if (Port < 0 || Port > 65535)
            {
                throw new ArgumentException("Port must be between 0 and 65535.");
            }

            if (BlockEncoding is not (RawEncoding or Base64Encoding))
            {
                throw new ArgumentException("BlockEncoding (--block-encoding) must be raw or base64.");
            }

            if (MinBlockSize < 1 || MaxBlockSize < MinBlockSize)
            {
                throw new ArgumentException("MinBlockSize must be at least 1 and at most MaxBlockSize.");
            }
        }

        private static void CheckRange(string name, TimeSpan value, TimeSpan min, TimeSpan max)
        {
            if (value < min || value > max)
            {
                throw new ArgumentException(string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"{name} must be between {Describe(min)} and {Describe(max)}, not {Describe(value)}."));
            }
        }

        private static string Describe(TimeSpan t) =>
            t.TotalSeconds >= 1 || t == TimeSpan.Zero
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.###} s")
                : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0.###} ms");
    }
}

using System.Globalization;
using System.Text;
using System.Threading;
using WeComExport.Emulator.Directory;

namespace WeComExport.Emulator
{
    /// <summary>One emulated corp: its id and app secret (deterministic from seed and index), its directory, and its callback settings.</summary>
    public sealed class EmulatorCorp
    {
        /// <summary>The AgentID of the emulated contacts app, as sent in callbacks.</summary>
        public const int DefaultAgentId = 1000002;

        private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

        private bool contactAssistant;
        private DirectoryView view;

        internal EmulatorCorp(long seed, int index, int members)
        {
            Index = index;
            ulong corpSeed = Mix.Hash((ulong)seed, (ulong)index, 0xC0);
            CorpId = "ww" + corpSeed.ToString("x16", CultureInfo.InvariantCulture);
            var secret = new StringBuilder(43);
            for (int i = 0; i < 43; i++)
            {
                secret.Append(SecretAlphabet[Mix.Pick(Mix.Hash(corpSeed, (ulong)i, 0x5EC), SecretAlphabet.Length)]);
            }

            Secret = secret.ToString();
            Directory = new SyntheticDirectory(corpSeed, members);
            view = DirectoryView.Pristine(Directory);
        }

        public string CorpId { get; }

        /// <summary>The app secret gettoken accepts for this corp. Printed once at start by design (it is the emulator's).</summary>
        public string Secret { get; }

        public int AgentId => DefaultAgentId;

        internal int Index { get; }

        internal SyntheticDirectory Directory { get; }

        /// <summary>
        /// The directory exports see now: <see cref="Directory"/> with the run-time changes of POST /_emulator/directory.
        /// Replaced whole (never changed in place), so a job that took it keeps it.
        /// </summary>
        internal DirectoryView View
        {
            get => Volatile.Read(ref view);
            set => Volatile.Write(ref view, value);
        }

        /// <summary>Serialises directory changes of this corp (readers never wait: they read <see cref="View"/>).</summary>
        internal Lock DirectoryLock { get; } = new();

        /// <summary>
        /// Whether this corp's secret behaves as the contacts-sync (通讯录同步) secret: the member and department
        /// exports answer 48009 "api forbidden for contact assistant" (--contact-assistant-corps, POST /_emulator/corps).
        /// </summary>
        internal bool ContactAssistant
        {
            get => Volatile.Read(ref contactAssistant);
            set => Volatile.Write(ref contactAssistant, value);
        }

        /// <summary>Callback delivery settings; null = no callbacks. Replaced whole, so readers see a consistent set.</summary>
        internal CallbackOptions? Callback { get; set; }

        public override string ToString() => $"EmulatorCorp {CorpId} (secret hidden)";
    }
}

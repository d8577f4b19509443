using System;
using System.Threading;

namespace WeComExport.Diagnostics
{
    public enum WeComLogLevel
    {
        Verbose,
        Debug,

        /// <summary>Something the user should see although the command goes on (a cmdlet writes it with WriteWarning).</summary>
        Warning,
    }

    /// <summary>
    /// Where the engine's Verbose, Debug and Warning lines go. A cmdlet opens a scope around its engine call;
    /// the sink flows with the async context, so concurrent cmdlets (runspaces, -Parallel) each get
    /// their own lines. Every line is redacted here, whoever wrote it.
    /// </summary>
    public static class WeComLog
    {
        private static readonly AsyncLocal<Action<WeComLogLevel, string>?> Sink = new();

        public static IDisposable BeginScope(Action<WeComLogLevel, string> sink)
        {
            Action<WeComLogLevel, string>? previous = Sink.Value;
            Sink.Value = sink;
            return new Scope(previous);
        }

        public static void Verbose(string message) => Write(WeComLogLevel.Verbose, message);

        public static void Debug(string message) => Write(WeComLogLevel.Debug, message);

        public static void Warning(string message) => Write(WeComLogLevel.Warning, message);

        private static void Write(WeComLogLevel level, string message) => Sink.Value?.Invoke(level, Redactor.Redact(message));

        private sealed class Scope : IDisposable
        {
            private readonly Action<WeComLogLevel, string>? previous;

            public Scope(Action<WeComLogLevel, string>? previous) => this.previous = previous;

            public void Dispose() => Sink.Value = previous;
        }
    }
}

using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Diagnostics;

namespace WeComExport.Api
{
    /// <summary>
    /// The one retry policy for every call, export starts included: transient failures (-1, 45009, 45033,
    /// HTTP 5xx/408/429, timeouts, dropped connections, a block whose size or MD5 is wrong) are retried
    /// with exponential backoff and jitter; everything else fails at once. Starting an export changes
    /// nothing in the directory, so resending a start whose answer was lost at worst makes a second,
    /// harmless job: no call needs a stricter rule.
    /// Hand-written rather than Polly.Core to keep the module folder small (see docs/design.md).
    /// </summary>
    public sealed class RetryPolicy
    {
        private static readonly ThreadLocal<Random> Jitter = new(() => new Random(Guid.NewGuid().GetHashCode()));

        /// <summary>Retries after the first attempt; 0 turns retrying off.</summary>
        public int MaxRetries { get; set; } = 4;

        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(0.5);

        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>The least wait after 45009: WeCom's frequency limits block for a minute (or an hour), so quick retries only burn quota.</summary>
        public TimeSpan FrequencyLimitDelay { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>How to wait; tests replace it to run without sleeping.</summary>
        internal Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = (delay, ct) => Task.Delay(delay, ct);

        public static bool IsTransient(Exception exception) => exception switch
        {
            // The HTTP entry retries, but only what a retry can cure: 5xx, 408, 429 and no answer at all.
            WeComHttpException http => http.IsTransient,
            // Everything else follows the catalogue: its entry says whether a retry is worth it.
            WeComException wecom => wecom.Recovery == WeComRecovery.RetryWithBackoff,
            // A truncated or corrupted download is worth fetching again.
            Blocks.BlockIntegrityException => WeComErrors.BlockIntegrityFailed.Recovery == WeComRecovery.RetryWithBackoff,
            _ => false,
        };

        /// <summary>Runs <paramref name="action"/>, again after each transient failure, at most <see cref="MaxRetries"/> more times.</summary>
        public async Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
        {
            if (action is null)
            {
                throw new ArgumentNullException(nameof(action));
            }

            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    return await action(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (attempt < MaxRetries && IsTransient(ex) && !cancellationToken.IsCancellationRequested)
                {
                    TimeSpan delay = DelayFor(attempt);
                    if (ex is WeComApiException { ErrCode: WeComErrorCodes.FrequencyLimit } && delay < FrequencyLimitDelay)
                    {
                        delay = FrequencyLimitDelay;
                    }

                    WeComLog.Verbose(string.Format(
                        CultureInfo.InvariantCulture,
                        "{0} failed ({1}); retry {2} of {3} in {4:0.0} s.",
                        operation,
                        ex.Message,
                        attempt + 1,
                        MaxRetries,
                        delay.TotalSeconds));
                    try
                    {
                        await Delay(delay, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException cancelled) when (cancellationToken.IsCancellationRequested)
                    {
                        // Stopped while waiting to try again: the failure being retried goes with it, so a caller that
                        // stopped on a deadline can say what kept failing.
                        throw new OperationCanceledException(cancelled.Message, ex, cancellationToken);
                    }
                }
            }
        }

        internal TimeSpan DelayFor(int attempt)
        {
            double exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, attempt);
            double capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
            // Full jitter on the upper half, so concurrent runbooks do not retry in lockstep.
            return TimeSpan.FromMilliseconds((capped / 2) + (Jitter.Value!.NextDouble() * capped / 2));
        }
    }
}

using System;
using WeComExport.Diagnostics;

namespace WeComExport.Api
{
    /// <summary>
    /// Base of every failure the engine reports: a stable ErrorId, a kind the cmdlets map to an
    /// ErrorCategory, and a hint of what to do. Messages never hold a secret, token or key, nor a
    /// character that steers a terminal: every message passes through <see cref="Redactor"/>, so text
    /// a server sent (an errmsg, an event name) is shown escaped wherever it was put into one.
    /// </summary>
    public class WeComException : Exception
    {
        public WeComException()
            : this(WeComErrors.UnexpectedError, "A WeCom operation failed.")
        {
        }

        public WeComException(string message)
            : this(WeComErrors.UnexpectedError, message)
        {
        }

        public WeComException(string message, Exception innerException)
            : this(WeComErrors.UnexpectedError, message, innerException)
        {
        }

        /// <summary>A failure from the catalogue (<see cref="WeComErrors"/>): its id, kind and recommended action. The message is redacted.</summary>
        public WeComException(WeComErrorDefinition error, string message, Exception? innerException = null)
            : base(Redactor.Redact(message), innerException)
        {
            if (error is null)
            {
                throw new ArgumentNullException(nameof(error));
            }

            ErrorId = error.ErrorId;
            Kind = error.Kind;
            Hint = error.RecommendedAction;
            Recovery = error.Recovery;
        }

        public string ErrorId { get; }

        public WeComErrorKind Kind { get; }

        public string? Hint { get; }

        /// <summary>What the client does about this failure before reporting it (the catalogue entry's).</summary>
        public WeComRecovery Recovery { get; }
    }
}

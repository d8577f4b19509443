using System;

namespace WeComExport.Api
{
    /// <summary>
    /// Base of every failure the engine reports: a stable ErrorId, a kind the cmdlets map to an
    /// ErrorCategory, and a hint of what to do. Messages never hold a secret, token or key.
    /// </summary>
    public class WeComException : Exception
    {
        public WeComException()
            : this("WeComError", WeComErrorKind.Unknown, "A WeCom operation failed.")
        {
        }

        public WeComException(string message)
            : this("WeComError", WeComErrorKind.Unknown, message)
        {
        }

        public WeComException(string message, Exception innerException)
            : this("WeComError", WeComErrorKind.Unknown, message, null, innerException)
        {
        }

        public WeComException(string errorId, WeComErrorKind kind, string message, string? hint = null, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
            Kind = kind;
            Hint = hint;
        }

        public string ErrorId { get; }

        public WeComErrorKind Kind { get; }

        public string? Hint { get; }
    }
}

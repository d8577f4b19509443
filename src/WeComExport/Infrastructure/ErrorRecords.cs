using System;
using System.Management.Automation;
using WeComExport.Api;
using WeComExport.Blocks;
using WeComExport.Crypto;

namespace WeComExport.Commands
{
    /// <summary>
    /// The one place cmdlets build error records, always from an entry of the error catalogue
    /// (<see cref="WeComErrors"/>): its ErrorId, the category of its kind, its recommended action,
    /// and the target object. Messages come from the engine, which never puts secrets in them.
    /// </summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord Create(Exception exception, WeComErrorDefinition error, object? target) =>
            Create(exception, error.ErrorId, CategoryOf(error.Kind), target, error.RecommendedAction);

        /// <summary>An error for a parameter value that failed validation before any request was sent.</summary>
        public static ErrorRecord InvalidArgument(WeComErrorDefinition error, string message, object? target) =>
            Create(new ArgumentException(message), error, target);

        /// <summary>Turns anything the engine throws into an error record with the catalogue's ErrorId and advice.</summary>
        public static ErrorRecord FromException(Exception exception, object? target)
        {
            if (exception is EngineCallException { InnerException: not null } call)
            {
                exception = call.InnerException;
            }

            if (exception is AggregateException aggregate && aggregate.InnerExceptions.Count == 1)
            {
                exception = aggregate.InnerExceptions[0];
            }

            return exception switch
            {
                WeComException wecom => Create(wecom, wecom.ErrorId, CategoryOf(wecom.Kind), target, wecom.Hint),
                WeComCryptoException crypto => Create(crypto, WeComErrors.DecryptFailed, target),
                BlockIntegrityException integrity => Create(integrity, WeComErrors.BlockIntegrityFailed, target),
                ExportFormatException format => Create(format, WeComErrors.InvalidBlockData, target),
                ArgumentException argument => Create(argument, WeComErrors.InvalidArgument, target),
                UnauthorizedAccessException access => Create(access, WeComErrors.AccessDenied, target),
                System.IO.IOException io => Create(io, WeComErrors.IOError, target),
                _ => Create(exception, WeComErrors.UnexpectedError, target),
            };
        }

        public static ErrorCategory CategoryOf(WeComErrorKind kind) => kind switch
        {
            WeComErrorKind.Authentication => ErrorCategory.AuthenticationError,
            WeComErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
            WeComErrorKind.NotFound => ErrorCategory.ObjectNotFound,
            WeComErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
            WeComErrorKind.LimitExceeded => ErrorCategory.LimitsExceeded,
            WeComErrorKind.Busy => ErrorCategory.ResourceBusy,
            WeComErrorKind.Connection => ErrorCategory.ConnectionError,
            WeComErrorKind.InvalidData => ErrorCategory.InvalidData,
            WeComErrorKind.OperationFailed => ErrorCategory.InvalidResult,
            WeComErrorKind.Timeout => ErrorCategory.OperationTimeout,
            WeComErrorKind.Security => ErrorCategory.SecurityError,
            WeComErrorKind.InvalidType => ErrorCategory.InvalidType,
            WeComErrorKind.LocalWrite => ErrorCategory.WriteError,
            WeComErrorKind.NotConnected => ErrorCategory.ConnectionError,
            WeComErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
            WeComErrorKind.ResourceExists => ErrorCategory.ResourceExists,
            WeComErrorKind.LocalRead => ErrorCategory.ReadError,
            _ => ErrorCategory.NotSpecified,
        };

        private static ErrorRecord Create(Exception exception, string errorId, ErrorCategory category, object? target, string? recommendedAction)
        {
            var record = new ErrorRecord(exception, errorId, category, target);
            if (!string.IsNullOrEmpty(recommendedAction) || WeComErrorContext.Has(exception))
            {
                record.ErrorDetails = new ErrorDetails(WeComErrorContext.MessageOf(exception)) { RecommendedAction = recommendedAction };
            }

            return record;
        }
    }
}

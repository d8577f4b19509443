using System;
using System.Management.Automation;
using WeComExport.Api;
using WeComExport.Blocks;
using WeComExport.Crypto;

namespace WeComExport.Commands
{
    /// <summary>
    /// The one place cmdlets build error records: a specific ErrorId, the right category, the
    /// target object, and a "what to do next" line. Messages come from the engine, which never
    /// puts secrets in them.
    /// </summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord Create(Exception exception, string errorId, ErrorCategory category, object? target, string? recommendedAction = null)
        {
            var record = new ErrorRecord(exception, errorId, category, target);
            if (!string.IsNullOrEmpty(recommendedAction))
            {
                record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = recommendedAction };
            }

            return record;
        }

        /// <summary>An error for a parameter value that failed validation before any request was sent.</summary>
        public static ErrorRecord InvalidArgument(string errorId, string message, object? target, string? recommendedAction = null) =>
            Create(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target, recommendedAction);

        /// <summary>Turns anything the engine throws into an error record with the engine's ErrorId and hint.</summary>
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
                WeComCryptoException crypto => Create(crypto, "WeComDecryptFailed", ErrorCategory.InvalidData, target, "Check that -EncodingAesKey is the key the export was started with."),
                BlockIntegrityException integrity => Create(integrity, "WeComBlockIntegrityFailed", ErrorCategory.InvalidData, target, "The block stayed damaged after every retry: run Receive-WeComExport again later (it fetches fresh download URLs)."),
                ExportFormatException format => Create(format, "WeComInvalidBlockData", ErrorCategory.InvalidData, target, "The block decrypted but is not the JSON this export should produce: check -ExportKind, or report the block to WeCom."),
                ArgumentException argument => Create(argument, "WeComInvalidArgument", ErrorCategory.InvalidArgument, target),
                UnauthorizedAccessException access => Create(access, "WeComAccessDenied", ErrorCategory.PermissionDenied, target),
                System.IO.IOException io => Create(io, "WeComIOError", ErrorCategory.WriteError, target),
                _ => Create(exception, "WeComUnexpectedError", ErrorCategory.NotSpecified, target),
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
            _ => ErrorCategory.NotSpecified,
        };
    }
}

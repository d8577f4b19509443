using System;
using System.Management.Automation;

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
    }
}

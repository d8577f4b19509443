using System;

namespace WeComExport.Api
{
    /// <summary>
    /// Where in a larger command a failure happened ("the taguser-7 export"), carried on the exception itself
    /// (its <see cref="Exception.Data"/>), so the failure keeps its own type, ErrorId and category and the error
    /// record's message still says which part failed.
    /// </summary>
    public static class WeComErrorContext
    {
        private const string Key = "WeComExport.ErrorContext";

        /// <summary>Notes <paramref name="context"/> on the exception, unless it already has one or its message names it.</summary>
        public static void Add(Exception exception, string context)
        {
            if (exception is null || string.IsNullOrEmpty(context) || exception.Data.Contains(Key) || exception.Message.IndexOf(context, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return;
            }

            exception.Data[Key] = context;
        }

        /// <summary>Whether a context was noted on the exception.</summary>
        public static bool Has(Exception exception) => exception?.Data[Key] is string;

        /// <summary>The exception's message, after its context when it has one ("In the taguser-7 export: ...").</summary>
        public static string MessageOf(Exception exception) =>
            exception?.Data[Key] is string context ? $"In {context}: {exception.Message}" : exception?.Message ?? string.Empty;
    }
}

using System;
using WeComExport.Api;

namespace WeComExport.Export
{
    /// <summary>get_result reported status 3: WeCom could not produce the export.</summary>
    public class WeComExportFailedException : WeComException
    {
        public WeComExportFailedException()
        {
        }

        public WeComExportFailedException(string message)
            : base("WeComExportFailed", WeComErrorKind.OperationFailed, message, "Start the export again; if it keeps failing, check the app's visible range and WeCom's status page.")
        {
        }

        public WeComExportFailedException(string message, Exception innerException)
            : base("WeComExportFailed", WeComErrorKind.OperationFailed, message, "Start the export again; if it keeps failing, check the app's visible range and WeCom's status page.", innerException)
        {
        }
    }

    /// <summary>A job did not finish within the caller's timeout.</summary>
    public class WeComExportTimeoutException : WeComException
    {
        public WeComExportTimeoutException()
        {
        }

        public WeComExportTimeoutException(string message)
            : base("WeComExportTimeout", WeComErrorKind.Timeout, message, "Wait longer (-Timeout), or check later with Get-WeComExportResult: the job keeps running on WeCom's side.")
        {
        }

        public WeComExportTimeoutException(string message, Exception innerException)
            : base("WeComExportTimeout", WeComErrorKind.Timeout, message, "Wait longer (-Timeout), or check later with Get-WeComExportResult.", innerException)
        {
        }
    }
}

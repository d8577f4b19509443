using System;
using WeComExport.Api;

namespace WeComExport.Export
{
    /// <summary>get_result reported status 3: WeCom could not produce the export.</summary>
    public class WeComExportFailedException : WeComException
    {
        public WeComExportFailedException()
            : this("The export job failed on WeCom's side (status 3).")
        {
        }

        public WeComExportFailedException(string message)
            : base(WeComErrors.ExportFailed, message)
        {
        }

        public WeComExportFailedException(string message, Exception innerException)
            : base(WeComErrors.ExportFailed, message, innerException)
        {
        }
    }

    /// <summary>A job did not finish within the caller's timeout.</summary>
    public class WeComExportTimeoutException : WeComException
    {
        public WeComExportTimeoutException()
            : this("The export job did not finish in time.")
        {
        }

        public WeComExportTimeoutException(string message)
            : base(WeComErrors.ExportTimeout, message)
        {
        }

        public WeComExportTimeoutException(string message, Exception innerException)
            : base(WeComErrors.ExportTimeout, message, innerException)
        {
        }
    }
}

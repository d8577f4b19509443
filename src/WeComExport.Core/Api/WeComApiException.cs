using System;

namespace WeComExport.Api
{
    /// <summary>WeCom answered with a non-zero errcode. ErrorId is <c>WeCom.&lt;errcode&gt;</c>.</summary>
    public class WeComApiException : WeComException
    {
        public WeComApiException()
        {
            Api = string.Empty;
            ErrMsg = string.Empty;
        }

        public WeComApiException(string message)
            : base(message)
        {
            Api = string.Empty;
            ErrMsg = string.Empty;
        }

        public WeComApiException(string message, Exception innerException)
            : base(message, innerException)
        {
            Api = string.Empty;
            ErrMsg = string.Empty;
        }

        public WeComApiException(string api, int errCode, string errMsg)
            : base(WeComErrors.ForErrCode(errCode), $"WeCom answered errcode {errCode} to {api}: {errMsg}")
        {
            Api = api;
            ErrCode = errCode;
            ErrMsg = Diagnostics.Redactor.Redact(errMsg);
        }

        /// <summary>The API path that failed, e.g. <c>export/user</c>.</summary>
        public string Api { get; }

        public int ErrCode { get; }

        /// <summary>WeCom's own errmsg, with its hint and "more info" link; redacted, control characters shown as <c>\uXXXX</c>.</summary>
        public string ErrMsg { get; }
    }
}

using System;
using System.Net;

namespace WeComExport.Api
{
    /// <summary>The HTTP exchange itself failed: a non-200 status, a dropped connection or a timeout.</summary>
    public class WeComHttpException : WeComException
    {
        public WeComHttpException()
        {
        }

        public WeComHttpException(string message)
            : base("WeComHttpError", WeComErrorKind.Connection, message)
        {
        }

        public WeComHttpException(string message, Exception innerException)
            : base("WeComHttpError", WeComErrorKind.Connection, message, "Check the network path to WeCom (proxy, firewall, DNS) and try again.", innerException)
        {
        }

        public WeComHttpException(string message, HttpStatusCode? statusCode, Exception? innerException = null)
            : base("WeComHttpError", WeComErrorKind.Connection, message, HintFor(statusCode), innerException)
        {
            StatusCode = statusCode;
        }

        public HttpStatusCode? StatusCode { get; }

        /// <summary>Server errors, throttling and dropped connections are worth another try; other HTTP errors are not.</summary>
        private static string HintFor(HttpStatusCode? status) => status switch
        {
            null => "Check the network path to WeCom (proxy, firewall, DNS) and try again.",
            HttpStatusCode.Forbidden or HttpStatusCode.NotFound => "The link was refused even after fresh URLs were fetched: run Receive-WeComExport again; if it keeps failing, start a new export (jobs live 7 days).",
            HttpStatusCode.RequestTimeout => "WeCom did not answer in time; try again later.",
            _ when (int)status >= 500 => "WeCom's servers failed after every retry; try again in a few minutes.",
            _ => "Check -ApiBaseUri and any proxy between this machine and WeCom.",
        };

        public bool IsTransient => StatusCode is null || (int)StatusCode >= 500 || StatusCode == HttpStatusCode.RequestTimeout || (int)StatusCode == 429;
    }
}

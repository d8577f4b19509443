using System;
using System.Net;

namespace WeComExport.Api
{
    /// <summary>The HTTP exchange itself failed: a non-200 status, a dropped connection or a timeout.</summary>
    public class WeComHttpException : WeComException
    {
        public WeComHttpException()
            : this("The HTTP call failed.")
        {
        }

        public WeComHttpException(string message)
            : base(WeComErrors.HttpError, message)
        {
        }

        public WeComHttpException(string message, Exception innerException)
            : base(WeComErrors.HttpError, message, innerException)
        {
        }

        /// <summary>The message gets a sentence on what the status means, so the catalogue's advice stays general.</summary>
        public WeComHttpException(string message, HttpStatusCode? statusCode, Exception? innerException = null)
            : base(WeComErrors.HttpError, WithMeaning(message, statusCode), innerException)
        {
            StatusCode = statusCode;
        }

        public HttpStatusCode? StatusCode { get; }

        /// <summary>Server errors, throttling and dropped connections are worth another try; other HTTP errors are not.</summary>
        public bool IsTransient => StatusCode is null || (int)StatusCode >= 500 || StatusCode == HttpStatusCode.RequestTimeout || (int)StatusCode == 429;

        private static string WithMeaning(string message, HttpStatusCode? status) => status switch
        {
            // OK: a download answered with an error page in place of the block, a refusal too.
            HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.OK => message + " Download links live 2 hours: the receive fetches fresh ones a few times per block; if a new receive is refused the same way, start a new export (jobs live 7 days).",
            HttpStatusCode.RequestTimeout => message + " WeCom did not answer in time.",
            HttpStatusCode.ProxyAuthenticationRequired => message + " The proxy refused the request: it wants credentials, or refused the ones given. Check -ProxyCredential (user name and password for the proxy given by -Proxy or HTTPS_PROXY).",
            _ when status is not null && (int)status >= 500 => message + " A server error on WeCom's side: such a call is tried a few times before it counts as failed.",
            _ when status is not null => message + " The address answered, but not as WeCom's API does.",
            _ => message,
        };
    }
}

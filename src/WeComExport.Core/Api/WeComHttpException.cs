using System;
using System.Net;

namespace WeComExport.Api
{
    /// <summary>The HTTP exchange itself failed: a non-200 status, a dropped connection, a timeout, or an error page in place of a block.</summary>
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

        private const string LinkAdvice = " Download links live 2 hours: the receive fetches fresh ones a few times per block; if a new receive is refused the same way, start a new export (jobs live 7 days).";

        public HttpStatusCode? StatusCode { get; }

        /// <summary>A download answered 200 with an error page (HTML, a JSON errcode) in place of the block.</summary>
        public bool AnsweredWithPage { get; private set; }

        /// <summary>The server said no to the download link itself (403, 404, or an error page): fresh links may do.</summary>
        public bool RefusesLink => AnsweredWithPage || StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound;

        /// <summary>Server errors, throttling and dropped connections are worth another try; other HTTP errors are not.</summary>
        public bool IsTransient => !AnsweredWithPage && (StatusCode is null || (int)StatusCode >= 500 || StatusCode == HttpStatusCode.RequestTimeout || (int)StatusCode == 429);

        /// <summary>A download answered with an error page in place of the block: a refused link, like 403.</summary>
        public static WeComHttpException ErrorPageForDownload(string message) => new(message + LinkAdvice) { AnsweredWithPage = true };

        private static string WithMeaning(string message, HttpStatusCode? status) => status switch
        {
            HttpStatusCode.Forbidden or HttpStatusCode.NotFound => message + LinkAdvice,
            HttpStatusCode.RequestTimeout => message + " WeCom did not answer in time.",
            HttpStatusCode.ProxyAuthenticationRequired => message + " The proxy refused the request: it wants credentials, or refused the ones given. Check -ProxyCredential (user name and password for the proxy given by -Proxy or HTTPS_PROXY).",
            _ when status is not null && (int)status >= 500 => message + " A server error on WeCom's side: such a call is tried a few times before it counts as failed.",
            _ when status is not null => message + " The address answered, but not as WeCom's API does.",
            _ => message,
        };
    }
}

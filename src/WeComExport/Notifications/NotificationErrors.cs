using System;
using System.Globalization;
using System.Management.Automation;
using WeComExport.Callbacks;

namespace WeComExport.Commands.Notifications
{
    /// <summary>
    /// The one place a callback failure becomes an error record: WeCom's reference code gives the
    /// ErrorId (WeCom.-40001 ...); forged or misaddressed messages are SecurityError, damaged ones
    /// InvalidData, oversized ones LimitsExceeded. Engine messages never hold the Token or key.
    /// </summary>
    internal static class NotificationErrors
    {
        public static ErrorRecord From(Exception exception, object? target) => exception switch
        {
            CallbackCryptoException crypto => FromCode(crypto, target),
            NotificationException notification => FromProblem(notification, target),
            _ => ErrorRecords.Create(exception, "WeComNotificationFailed", ErrorCategory.NotSpecified, target),
        };

        public static string ErrorIdFor(int code) => "WeCom." + code.ToString(CultureInfo.InvariantCulture);

        private static ErrorRecord FromCode(CallbackCryptoException exception, object? target)
        {
            string id = ErrorIdFor(exception.ErrorCode);
            return exception.ErrorCode switch
            {
                CallbackCryptoException.ValidateSignatureError => ErrorRecords.Create(exception, id, ErrorCategory.SecurityError, target,
                    "Pass msg_signature, timestamp and nonce exactly as received, and the callback Token from the app's 'receive messages' settings. A request that still fails did not come from WeCom: do not act on it."),
                CallbackCryptoException.ValidateCorpIdError => ErrorRecords.Create(exception, id, ErrorCategory.SecurityError, target,
                    "Check -CorpId: it must be the CorpID of an internal app's corp, or the SuiteID for a third-party suite's callbacks."),
                CallbackCryptoException.IllegalAesKey => ErrorRecords.Create(exception, id, ErrorCategory.InvalidArgument, target,
                    "Pass the app's callback EncodingAESKey: 43 characters of a-z, A-Z and 0-9."),
                CallbackCryptoException.ParseXmlError => ErrorRecords.Create(exception, id, ErrorCategory.InvalidData, target,
                    "Pass the raw request body as WeCom sent it (<xml>...</xml>)."),
                _ => ErrorRecords.Create(exception, id, ErrorCategory.InvalidData, target,
                    "Check that -EncodingAesKey is this app's callback EncodingAESKey (not an export key) and that the body reached you unchanged."),
            };
        }

        private static ErrorRecord FromProblem(NotificationException exception, object? target) => exception.Problem switch
        {
            NotificationProblem.TooLarge => ErrorRecords.Create(exception, "WeComNotificationTooLarge", ErrorCategory.LimitsExceeded, target,
                "Pass one callback body at a time; WeCom's callbacks are far smaller than the limit."),
            NotificationProblem.EncryptedWithoutKey => ErrorRecords.Create(exception, "WeComNotificationEncrypted", ErrorCategory.InvalidArgument, target,
                "Add -MsgSignature, -Timestamp and -Nonce from the request's query string, and -Token and -EncodingAesKey from the app's callback settings."),
            _ => ErrorRecords.Create(exception, "WeComNotificationNotBatchJobResult", ErrorCategory.InvalidType, target,
                "Filter other events out before this cmdlet, or add -IncludeOtherEvent to pass them through."),
        };
    }
}

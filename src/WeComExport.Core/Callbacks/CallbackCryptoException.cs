using System;
using System.Globalization;
using WeComExport.Api;

namespace WeComExport.Callbacks
{
    /// <summary>
    /// A callback failed parsing, verification or decryption; <see cref="ErrorCode"/> is WeCom's reference
    /// library code (-40001 signature, -40002 XML, -40004 key, -40005 receiveid, -40007 decrypt/padding,
    /// -40008 framing (length field), -40010 Base64). Messages never carry the Token, key or expected signature.
    /// </summary>
    public class CallbackCryptoException : WeComException
    {
        public const int ValidateSignatureError = -40001;
        public const int ParseXmlError = -40002;
        public const int IllegalAesKey = -40004;
        public const int ValidateCorpIdError = -40005;
        public const int DecryptFailed = -40007;
        public const int IllegalBuffer = -40008;
        public const int Base64DecodeFailed = -40010;

        public CallbackCryptoException()
        {
        }

        public CallbackCryptoException(string message)
            : base(message)
        {
        }

        public CallbackCryptoException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        public CallbackCryptoException(int errorCode, string message, Exception? innerException = null)
            : base("WeCom." + errorCode.ToString(CultureInfo.InvariantCulture), KindOf(errorCode), message, HintFor(errorCode), innerException)
        {
            ErrorCode = errorCode;
        }

        public int ErrorCode { get; }

        private static WeComErrorKind KindOf(int code) => code switch
        {
            ValidateSignatureError or ValidateCorpIdError => WeComErrorKind.Security,
            IllegalAesKey => WeComErrorKind.InvalidArgument,
            _ => WeComErrorKind.InvalidData,
        };

        private static string HintFor(int code) => code switch
        {
            ValidateSignatureError => "Pass msg_signature, timestamp and nonce exactly as received, and the callback Token from the app's 'receive messages' settings. A request that still fails did not come from WeCom: do not act on it.",
            ValidateCorpIdError => "Check -CorpId: it must be the CorpID of an internal app's corp, or the SuiteID for a third-party suite's callbacks.",
            IllegalAesKey => "Pass the app's callback EncodingAESKey: 43 characters of a-z, A-Z and 0-9.",
            ParseXmlError => "Pass the raw request body as WeCom sent it (<xml>...</xml>).",
            _ => "Check that -EncodingAesKey is this app's callback EncodingAESKey (not an export key) and that the body reached you unchanged.",
        };
    }
}

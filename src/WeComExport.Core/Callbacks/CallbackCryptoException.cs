using System;
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
            : base(WeComErrors.ForCallbackCode(errorCode), message, innerException)
        {
            ErrorCode = errorCode;
        }

        public int ErrorCode { get; }
    }
}

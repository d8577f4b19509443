using System;

namespace WeComExport.Callbacks
{
    /// <summary>A callback failed verification or decryption; <see cref="ErrorCode"/> is WeCom's reference library code.</summary>
    public class CallbackCryptoException : Exception
    {
        public const int ValidateSignatureError = -40001;
        public const int ParseXmlError = -40002;
        public const int IllegalAesKey = -40004;
        public const int ValidateCorpIdError = -40005;
        public const int DecryptFailed = -40007;
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
            : base(message, innerException)
        {
            ErrorCode = errorCode;
        }

        public int ErrorCode { get; }
    }
}

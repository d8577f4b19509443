using System;

namespace WeComExport.Crypto
{
    /// <summary>Decryption or padding failed: the key is wrong or the data is damaged. Never carries key material.</summary>
    public class WeComCryptoException : Exception
    {
        public WeComCryptoException()
        {
        }

        public WeComCryptoException(string message)
            : base(message)
        {
        }

        public WeComCryptoException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}

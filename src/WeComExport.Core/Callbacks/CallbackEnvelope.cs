using System;
using WeComExport.Crypto;

namespace WeComExport.Callbacks
{
    /// <summary>
    /// What WeCom actually sends to a callback URL: a POST body &lt;xml&gt;&lt;ToUserName/&gt;&lt;Encrypt/&gt;&lt;AgentID/&gt;&lt;/xml&gt;
    /// with msg_signature, timestamp and nonce in the query string, and the URL-verification GET
    /// with an echostr. Opens both (signature first, in constant time, then decrypt, then receiveid),
    /// and seals them for the emulator and the tests.
    /// </summary>
    public static class CallbackEnvelope
    {
        /// <summary>
        /// Verifies and decrypts a callback POST body; returns the inner event XML and its receiveid.
        /// Throws <see cref="CallbackCryptoException"/> with the reference code, or <see cref="NotificationException"/> for an oversized body.
        /// </summary>
        /// <param name="body">The raw POST body.</param>
        /// <param name="msgSignature">The msg_signature query parameter.</param>
        /// <param name="timestamp">The timestamp query parameter, exactly as sent.</param>
        /// <param name="nonce">The nonce query parameter.</param>
        /// <param name="token">The app's callback Token.</param>
        /// <param name="key">The app's callback EncodingAESKey.</param>
        /// <param name="expectedReceiveId">The CorpID (or SuiteID) the message must be addressed to; null skips the check.</param>
        public static CallbackPlaintext Open(string? body, string? msgSignature, string? timestamp, string? nonce, string token, EncodingAesKey key, string? expectedReceiveId = null)
        {
            CallbackXml envelope = CallbackXml.Parse(body, "callback body");
            string? encrypt = envelope.Field("Encrypt");
            if (string.IsNullOrEmpty(encrypt))
            {
                throw new CallbackCryptoException(CallbackCryptoException.ParseXmlError, "The callback body has no <Encrypt> element, so it is not an encrypted envelope: pass plain event XML without the crypto parameters.");
            }

            CallbackPlaintext plain = Unseal(encrypt!, msgSignature, timestamp, nonce, token, key, expectedReceiveId, "callback body");
            CallbackLimits.CheckLength(plain.Message, "decrypted message");
            return plain;
        }

        /// <summary>
        /// Answers WeCom's URL-verification GET: verifies the signature over the echostr, decrypts it and
        /// returns the plaintext to send back as the response body (no quotes, BOM or newline).
        /// A space in <paramref name="echoStr"/> is read as the '+' it was before form-style query decoding.
        /// </summary>
        public static string VerifyUrl(string? msgSignature, string? timestamp, string? nonce, string? echoStr, string token, EncodingAesKey key, string? expectedReceiveId = null)
        {
            if (string.IsNullOrEmpty(echoStr))
            {
                throw new CallbackCryptoException(CallbackCryptoException.Base64DecodeFailed, "The echostr is empty.");
            }

            CallbackLimits.CheckLength(echoStr, "echostr");

            // Base64 has no spaces: a space here is a '+' that a query-string decoder turned into one.
            string restored = echoStr!.Replace(' ', '+');
            return Unseal(restored, msgSignature, timestamp, nonce, token, key, expectedReceiveId, "echostr").Message;
        }

        /// <summary>Encrypts and signs <paramref name="innerXml"/> the way WeCom delivers a callback.</summary>
        public static SealedCallback Seal(string innerXml, string token, EncodingAesKey key, string receiveId, string timestamp, string nonce, string? agentId = null, byte[]? randomPrefix = null)
        {
            string encrypt = CallbackCrypto.Encrypt(key, innerXml, receiveId, randomPrefix);
            string signature = CallbackCrypto.Sign(token, timestamp, nonce, encrypt);
            string body = "<xml><ToUserName><![CDATA[" + CData(receiveId) + "]]></ToUserName><Encrypt><![CDATA[" + encrypt + "]]></Encrypt>"
                + (agentId is null ? string.Empty : "<AgentID><![CDATA[" + CData(agentId) + "]]></AgentID>") + "</xml>";
            return new SealedCallback(body, encrypt, signature, timestamp, nonce);
        }

        private static CallbackPlaintext Unseal(string encrypt, string? msgSignature, string? timestamp, string? nonce, string token, EncodingAesKey key, string? expectedReceiveId, string what)
        {
            if (token is null)
            {
                throw new ArgumentNullException(nameof(token));
            }

            if (key is null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            // The expected signature is never put in a message: it would let a sender forge this very request.
            if (string.IsNullOrEmpty(msgSignature) || !CallbackCrypto.VerifySignature(msgSignature!, token, timestamp ?? string.Empty, nonce ?? string.Empty, encrypt))
            {
                throw new CallbackCryptoException(
                    CallbackCryptoException.ValidateSignatureError,
                    $"The {what}'s msg_signature does not match: it was not signed with this app's callback Token, or the timestamp, nonce or body was changed.");
            }

            CallbackPlaintext plain = CallbackCrypto.Decrypt(key, encrypt);
            if (expectedReceiveId is not null && !string.Equals(plain.ReceiveId, expectedReceiveId, StringComparison.Ordinal))
            {
                throw new CallbackCryptoException(
                    CallbackCryptoException.ValidateCorpIdError,
                    $"The {what} is addressed to receiveid '{plain.ReceiveId}', not the expected '{expectedReceiveId}'.");
            }

            return plain;
        }

        // Inside CDATA only "]]>" needs care: split it across two sections.
        private static string CData(string text) => text.Replace("]]>", "]]]]><![CDATA[>");
    }
}

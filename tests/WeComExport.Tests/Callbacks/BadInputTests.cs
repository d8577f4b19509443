using System;
using System.Linq;
using WeComExport.Callbacks;
using WeComExport.Crypto;
using Xunit;

namespace WeComExport.Tests.Callbacks
{
    /// <summary>Every bad envelope fails with its reference code, and no message reveals the Token, the key or the expected signature.</summary>
    public class BadInputTests
    {
        private static readonly CallbackVectors V = CallbackVectors.Instance;
        private static readonly EncodingAesKey Key = EncodingAesKey.Parse(V.EncodingAesKey);

        public static TheoryData<string> BadNames()
        {
            var data = new TheoryData<string>();
            foreach (var b in CallbackVectors.Instance.BadInputs)
            {
                data.Add(b.Name);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(BadNames))]
        public void Each_bad_vector_fails_with_its_error(string name)
        {
            var b = V.BadInputs.Single(x => x.Name == name);
            Exception ex = Assert.ThrowsAny<Exception>(() =>
            {
                CallbackPlaintext plain = CallbackEnvelope.Open(b.Body, b.MsgSignature, b.Timestamp, b.Nonce, V.Token, Key, V.CorpId);
                ExportNotificationParser.Parse(plain.Message, receiveId: plain.ReceiveId);
            });

            string actual = ex switch
            {
                CallbackCryptoException c => "WeCom." + c.ErrorCode,
                NotificationException { Problem: NotificationProblem.NotBatchJobResult } => "WeComNotificationNotBatchJobResult",
                _ => ex.GetType().Name + ": " + ex.Message,
            };
            Assert.Equal(b.ExpectedError, actual);
            AssertNoSecret(ex.Message);
            Assert.DoesNotContain(CallbackCrypto.Sign(V.Token, b.Timestamp, b.Nonce, Encrypt(b.Body)), ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void A_changed_timestamp_nonce_or_body_breaks_the_signature()
        {
            var m = V.Messages[0];
            Assert.Equal(-40001, Code(() => CallbackEnvelope.Open(m.Body, m.MsgSignature, m.Timestamp + "1", m.Nonce, V.Token, Key)));
            Assert.Equal(-40001, Code(() => CallbackEnvelope.Open(m.Body, m.MsgSignature, m.Timestamp, m.Nonce + "x", V.Token, Key)));
            Assert.Equal(-40001, Code(() => CallbackEnvelope.Open(m.Body.Replace(m.Encrypt[..8], "AAAAAAAA", StringComparison.Ordinal), m.MsgSignature, m.Timestamp, m.Nonce, V.Token, Key)));
            Assert.Equal(-40001, Code(() => CallbackEnvelope.Open(m.Body, string.Empty, m.Timestamp, m.Nonce, V.Token, Key)));
            Assert.Equal(-40001, Code(() => CallbackEnvelope.Open(m.Body, null, m.Timestamp, m.Nonce, V.Token, Key)));
            Assert.Equal(-40001, Code(() => CallbackEnvelope.Open(m.Body, m.MsgSignature, m.Timestamp, m.Nonce, V.Token + "x", Key)));
        }

        [Fact]
        public void The_signature_is_checked_before_anything_is_decrypted()
        {
            // Bad Base64 with a wrong signature must report the signature, not the Base64: unauthenticated input never reaches the cipher.
            var b = V.BadInputs.Single(x => x.Name == "bad Base64");
            Assert.Equal(-40001, Code(() => CallbackEnvelope.Open(b.Body, new string('0', 40), b.Timestamp, b.Nonce, V.Token, Key)));
        }

        [Fact]
        public void A_wrong_key_fails_with_a_decrypt_or_framing_error()
        {
            var m = V.Messages[0];
            int code = Code(() => CallbackEnvelope.Open(m.Body, m.MsgSignature, m.Timestamp, m.Nonce, V.Token, EncodingAesKey.Parse("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")));
            // No receiveid is expected here, so -40005 cannot occur: only the decrypt or framing checks can fail.
            Assert.Contains(code, new[] { -40007, -40008 });
        }

        [Fact]
        public void A_plain_body_given_to_open_is_refused_as_not_an_envelope()
        {
            Assert.Equal(-40002, Code(() => CallbackEnvelope.Open(V.Messages[0].PlaintextXml, "x", "1", "n", V.Token, Key)));
        }

        [Fact]
        public void An_empty_echostr_fails_and_an_oversized_one_exceeds_the_limit()
        {
            var u = V.UrlVerification;
            Assert.Equal(-40010, Code(() => CallbackEnvelope.VerifyUrl(u.MsgSignature, u.Timestamp, u.Nonce, string.Empty, V.Token, Key)));
            var big = new string('A', CallbackLimits.MaxInputLength + 1);
            var ex = Assert.Throws<NotificationException>(() => CallbackEnvelope.VerifyUrl(u.MsgSignature, u.Timestamp, u.Nonce, big, V.Token, Key));
            Assert.Equal(NotificationProblem.TooLarge, ex.Problem);
        }

        [Fact]
        public void An_oversized_body_is_refused_before_parsing()
        {
            var m = V.Messages[0];
            string body = m.Body.Replace("</xml>", "<Pad>" + new string(' ', CallbackLimits.MaxInputLength) + "</Pad></xml>", StringComparison.Ordinal);
            var ex = Assert.Throws<NotificationException>(() => CallbackEnvelope.Open(body, m.MsgSignature, m.Timestamp, m.Nonce, V.Token, Key));
            Assert.Equal(NotificationProblem.TooLarge, ex.Problem);
        }

        [Fact]
        public void A_sealed_message_over_the_limit_is_refused_at_the_envelope()
        {
            string inner = "<xml><Pad>" + new string('x', CallbackLimits.MaxInputLength) + "</Pad></xml>";
            SealedCallback s = CallbackEnvelope.Seal(inner, V.Token, Key, V.CorpId, "1", "n");

            // The envelope itself is over the limit too (Base64 grows it), so it is refused at the door.
            var ex = Assert.Throws<NotificationException>(() => CallbackEnvelope.Open(s.Body, s.MsgSignature, s.Timestamp, s.Nonce, V.Token, Key));
            Assert.Equal(NotificationProblem.TooLarge, ex.Problem);
        }

        internal static void AssertNoSecret(string message)
        {
            Assert.DoesNotContain(V.Token, message, StringComparison.Ordinal);
            Assert.DoesNotContain(V.EncodingAesKey, message, StringComparison.Ordinal);
            Assert.DoesNotContain(V.KeyHex, message, StringComparison.OrdinalIgnoreCase);
        }

        private static int Code(Action action) => Assert.Throws<CallbackCryptoException>(action).ErrorCode;

        private static string Encrypt(string body)
        {
            int start = body.IndexOf("<Encrypt><![CDATA[", StringComparison.Ordinal) + "<Encrypt><![CDATA[".Length;
            return body[start..body.IndexOf("]]></Encrypt>", StringComparison.Ordinal)];
        }
    }
}

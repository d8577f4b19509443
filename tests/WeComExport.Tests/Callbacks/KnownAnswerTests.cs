using System;
using System.Linq;
using WeComExport.Callbacks;
using WeComExport.Crypto;
using Xunit;

namespace WeComExport.Tests.Callbacks
{
    /// <summary>The engine against vectors made by Node's crypto and checked by openssl: signature, decrypt (pad 32 and pad under 16), URL verification, receiveid.</summary>
    public class KnownAnswerTests
    {
        private static readonly CallbackVectors V = CallbackVectors.Instance;
        private static readonly EncodingAesKey Key = EncodingAesKey.Parse(V.EncodingAesKey);

        public static TheoryData<string> MessageNames()
        {
            var data = new TheoryData<string>();
            foreach (var m in CallbackVectors.Instance.Messages)
            {
                data.Add(m.Name);
            }

            return data;
        }

        [Fact]
        public void The_key_derivation_matches_node()
        {
            Assert.Equal(V.KeyHex, Convert.ToHexString(Key.GetKeyBytes()).ToLowerInvariant());
            Assert.Equal(V.IvHex, Convert.ToHexString(Key.GetIV()).ToLowerInvariant());
        }

        [Fact]
        public void The_vectors_cover_a_full_32_byte_pad_and_a_pad_under_16()
        {
            Assert.Contains(V.Messages, m => m.PadLength == 32);
            Assert.Contains(V.Messages, m => m.PadLength < 16);
        }

        [Fact]
        public void Signatures_match_node_sha1_over_the_sorted_strings()
        {
            Assert.NotEmpty(V.Signatures);
            foreach (var s in V.Signatures)
            {
                Assert.Equal(s.Signature, CallbackCrypto.Sign(s.Token, s.Timestamp, s.Nonce, s.Encrypt));
                Assert.True(CallbackCrypto.VerifySignature(s.Signature, s.Token, s.Timestamp, s.Nonce, s.Encrypt));
                Assert.True(CallbackCrypto.VerifySignature(s.Signature.ToUpperInvariant(), s.Token, s.Timestamp, s.Nonce, s.Encrypt));
                Assert.False(CallbackCrypto.VerifySignature(s.Signature[..^1], s.Token, s.Timestamp, s.Nonce, s.Encrypt));
                Assert.False(CallbackCrypto.VerifySignature(s.Signature + "0", s.Token, s.Timestamp, s.Nonce, s.Encrypt));
            }
        }

        [Theory]
        [MemberData(nameof(MessageNames))]
        public void Encrypting_with_the_same_random_prefix_gives_nodes_ciphertext(string name)
        {
            var m = V.Messages.Single(x => x.Name == name);
            string encrypt = CallbackCrypto.Encrypt(Key, m.PlaintextXml, m.ReceiveId, Convert.FromHexString(m.RandomPrefixHex));
            Assert.Equal(m.Encrypt, encrypt);
        }

        [Theory]
        [MemberData(nameof(MessageNames))]
        public void Decrypting_nodes_ciphertext_gives_the_message_and_receiveid(string name)
        {
            var m = V.Messages.Single(x => x.Name == name);
            CallbackPlaintext plain = CallbackCrypto.Decrypt(Key, m.Encrypt);
            Assert.Equal(m.PlaintextXml, plain.Message);
            Assert.Equal(m.ReceiveId, plain.ReceiveId);
        }

        [Theory]
        [MemberData(nameof(MessageNames))]
        public void Sealing_gives_the_body_and_signature_node_made(string name)
        {
            var m = V.Messages.Single(x => x.Name == name);
            SealedCallback sealedCallback = CallbackEnvelope.Seal(m.PlaintextXml, V.Token, Key, m.ReceiveId, m.Timestamp, m.Nonce, "1000002", Convert.FromHexString(m.RandomPrefixHex));
            Assert.Equal(m.Body, sealedCallback.Body);
            Assert.Equal(m.MsgSignature, sealedCallback.MsgSignature);
        }

        [Theory]
        [MemberData(nameof(MessageNames))]
        public void Opening_and_parsing_nodes_envelope_gives_the_expected_notification(string name)
        {
            var m = V.Messages.Single(x => x.Name == name);
            CallbackPlaintext plain = CallbackEnvelope.Open(m.Body, m.MsgSignature, m.Timestamp, m.Nonce, V.Token, Key, m.ReceiveId);
            ExportNotification n = ExportNotificationParser.Parse(plain.Message, receiveId: plain.ReceiveId);

            Assert.Equal(m.ReceiveId, n.ReceiveId);
            Assert.Equal(Text(m, "CorpId"), n.CorpId);
            Assert.Equal(Text(m, "JobId"), n.JobId);
            Assert.Equal(Text(m, "JobType"), n.JobType);
            Assert.Equal(Text(m, "Kind"), n.Kind.ToString());
            Assert.Equal(Text(m, "ExportKind"), n.ExportKind?.ToString());
            Assert.Equal(m.Expected["ErrCode"].GetInt32(), n.ErrCode);
            Assert.Equal(Text(m, "ErrMsg"), n.ErrMsg);
            Assert.True(n.IsBatchJobResult);
            if (m.Expected.TryGetValue("CreateTimeUnix", out var created))
            {
                Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(created.GetInt64()), n.CreateTime);
            }

            if (m.Expected.TryGetValue("TimeStampUnix", out var stamp))
            {
                Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(stamp.GetInt64()), n.TimeStamp);
                Assert.Equal(Text(m, "SuiteId"), n.SuiteId);
            }
        }

        [Fact]
        public void Url_verification_returns_nodes_echo_plaintext()
        {
            var u = V.UrlVerification;
            Assert.Equal(u.ExpectedEcho, CallbackEnvelope.VerifyUrl(u.MsgSignature, u.Timestamp, u.Nonce, u.Echostr, V.Token, Key, u.ReceiveId));
            Assert.Equal(u.ExpectedEcho, CallbackEnvelope.VerifyUrl(u.MsgSignature, u.Timestamp, u.Nonce, u.Echostr, V.Token, Key));
        }

        [Fact]
        public void Url_verification_accepts_an_echostr_whose_plus_signs_a_query_decoder_turned_into_spaces()
        {
            var u = V.UrlVerification;
            Assert.Contains("+", u.Echostr, StringComparison.Ordinal);
            string decodedAsForm = u.Echostr.Replace('+', ' ');
            Assert.Equal(u.ExpectedEcho, CallbackEnvelope.VerifyUrl(u.MsgSignature, u.Timestamp, u.Nonce, decodedAsForm, V.Token, Key, u.ReceiveId));
        }

        [Fact]
        public void Url_verification_for_another_corp_fails_with_40005()
        {
            var u = V.UrlVerification;
            var ex = Assert.Throws<CallbackCryptoException>(() => CallbackEnvelope.VerifyUrl(u.MsgSignature, u.Timestamp, u.Nonce, u.Echostr, V.Token, Key, "wxSomeoneElse"));
            Assert.Equal(-40005, ex.ErrorCode);
        }

        private static string? Text(CallbackVectors.MessageVector m, string name) =>
            m.Expected.TryGetValue(name, out var value) && value.ValueKind != System.Text.Json.JsonValueKind.Null ? value.GetString() : null;
    }
}

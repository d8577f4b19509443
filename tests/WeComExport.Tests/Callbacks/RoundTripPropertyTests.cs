using System;
using System.Text;
using WeComExport.Callbacks;
using WeComExport.Crypto;
using Xunit;

namespace WeComExport.Tests.Callbacks
{
    /// <summary>Seeded random properties (reproducible: the seed is in each failure message) over messages, keys, corp ids, tokens.</summary>
    public class RoundTripPropertyTests
    {
        private const string KeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        private const int Cases = 300;

        [Fact]
        public void Encrypt_then_decrypt_returns_the_message_and_receiveid()
        {
            for (int seed = 0; seed < Cases; seed++)
            {
                var random = new Random(seed);
                EncodingAesKey key = RandomKey(random);
                string message = RandomText(random, random.Next(0, 300));
                string receiveId = RandomText(random, random.Next(0, 40));
                byte[] prefix = new byte[16];
                random.NextBytes(prefix);

                string encrypt = CallbackCrypto.Encrypt(key, message, receiveId, prefix);
                CallbackPlaintext plain = CallbackCrypto.Decrypt(key, encrypt);
                Assert.True(message == plain.Message, $"seed {seed}: message differs");
                Assert.True(receiveId == plain.ReceiveId, $"seed {seed}: receiveid differs");

                int framed = 20 + Encoding.UTF8.GetByteCount(message) + Encoding.UTF8.GetByteCount(receiveId);
                Assert.True(Convert.FromBase64String(encrypt).Length == framed + WeComCipher.PadLength(framed), $"seed {seed}: ciphertext length");
            }
        }

        [Fact]
        public void Seal_then_open_then_parse_returns_the_event_for_any_corp_token_and_job()
        {
            for (int seed = 0; seed < Cases; seed++)
            {
                var random = new Random(seed);
                EncodingAesKey key = RandomKey(random);
                string token = RandomAscii(random, random.Next(3, 33));
                string corpId = "ww" + RandomAscii(random, random.Next(1, 30));
                string jobId = "jobid_" + RandomAscii(random, random.Next(1, 58));
                string errMsg = RandomText(random, random.Next(0, 50)).Replace("]]>", "]] >", StringComparison.Ordinal);
                string timestamp = random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
                string nonce = RandomAscii(random, random.Next(1, 16));
                string xml = $"<xml><ToUserName><![CDATA[{corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>{timestamp}</CreateTime>"
                    + $"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[batch_job_result]]></Event><BatchJob><JobId><![CDATA[{jobId}]]></JobId>"
                    + $"<JobType><![CDATA[export_department]]></JobType><ErrCode>0</ErrCode><ErrMsg><![CDATA[{errMsg}]]></ErrMsg></BatchJob></xml>";

                SealedCallback s = CallbackEnvelope.Seal(xml, token, key, corpId, timestamp, nonce, "1000002");
                CallbackPlaintext plain = CallbackEnvelope.Open(s.Body, s.MsgSignature, s.Timestamp, s.Nonce, token, key, corpId);
                ExportNotification n = ExportNotificationParser.Parse(plain.Message, receiveId: plain.ReceiveId);
                Assert.True(jobId == n.JobId, $"seed {seed}: JobId");
                Assert.True(corpId == n.CorpId && corpId == n.ReceiveId, $"seed {seed}: corp");
                Assert.True(errMsg == n.ErrMsg, $"seed {seed}: ErrMsg");

                // Any other corp is refused, and any one-character change to the signature is refused.
                var wrongCorp = Assert.Throws<CallbackCryptoException>(() => CallbackEnvelope.Open(s.Body, s.MsgSignature, s.Timestamp, s.Nonce, token, key, corpId + "x"));
                Assert.True(wrongCorp.ErrorCode == -40005, $"seed {seed}: corp check");
                int at = random.Next(s.MsgSignature.Length);
                char other = s.MsgSignature[at] == '0' ? '1' : '0';
                string forged = s.MsgSignature[..at] + other + s.MsgSignature[(at + 1)..];
                var badSig = Assert.Throws<CallbackCryptoException>(() => CallbackEnvelope.Open(s.Body, forged, s.Timestamp, s.Nonce, token, key, corpId));
                Assert.True(badSig.ErrorCode == -40001, $"seed {seed}: signature check");
            }
        }

        [Fact]
        public void Url_verification_round_trips_any_echo()
        {
            for (int seed = 0; seed < Cases; seed++)
            {
                var random = new Random(seed);
                EncodingAesKey key = RandomKey(random);
                string token = RandomAscii(random, random.Next(3, 33));
                string echo = random.NextInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
                string echostr = CallbackCrypto.Encrypt(key, echo, "wwcorp");
                string signature = CallbackCrypto.Sign(token, "1700000000", "n", echostr);
                Assert.True(echo == CallbackEnvelope.VerifyUrl(signature, "1700000000", "n", echostr, token, key, "wwcorp"), $"seed {seed}");
            }
        }

        private static EncodingAesKey RandomKey(Random random)
        {
            var chars = new char[43];
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = KeyAlphabet[random.Next(KeyAlphabet.Length)];
            }

            return EncodingAesKey.Parse(new string(chars));
        }

        private static string RandomAscii(Random random, int length)
        {
            var chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                chars[i] = KeyAlphabet[random.Next(KeyAlphabet.Length)];
            }

            return new string(chars);
        }

        // Text with ASCII, CJK and astral characters (surrogate pairs), never a lone surrogate.
        private static string RandomText(Random random, int length)
        {
            var builder = new StringBuilder(length);
            for (int i = 0; i < length; i++)
            {
                switch (random.Next(4))
                {
                    case 0: builder.Append((char)random.Next(0x20, 0x7f)); break;
                    case 1: builder.Append((char)random.Next(0x4e00, 0x9fa6)); break;
                    case 2: builder.Append(char.ConvertFromUtf32(random.Next(0x1F300, 0x1F64F))); break;
                    default: builder.Append((char)random.Next(0xa0, 0x800)); break;
                }
            }

            return builder.ToString();
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace WeComExport.Tests.Callbacks
{
    /// <summary>The known-answer vectors made by TestData/callbacks/make-vectors.js with Node's crypto (and checked by openssl).</summary>
    internal sealed class CallbackVectors
    {
        private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

        private static readonly Lazy<CallbackVectors> Loaded = new(() =>
        {
            string path = Path.Combine(AppContext.BaseDirectory, "TestData", "callbacks", "vectors.json");
            return JsonSerializer.Deserialize<CallbackVectors>(File.ReadAllText(path), Options)!;
        });

        public static CallbackVectors Instance => Loaded.Value;

        public string EncodingAesKey { get; set; } = string.Empty;

        public string Token { get; set; } = string.Empty;

        public string CorpId { get; set; } = string.Empty;

        public string SuiteId { get; set; } = string.Empty;

        public string KeyHex { get; set; } = string.Empty;

        public string IvHex { get; set; } = string.Empty;

        public List<SignatureVector> Signatures { get; set; } = new();

        public List<MessageVector> Messages { get; set; } = new();

        public UrlVector UrlVerification { get; set; } = new();

        public List<BadVector> BadInputs { get; set; } = new();

        internal sealed class SignatureVector
        {
            public string Token { get; set; } = string.Empty;

            public string Timestamp { get; set; } = string.Empty;

            public string Nonce { get; set; } = string.Empty;

            public string Encrypt { get; set; } = string.Empty;

            public string Signature { get; set; } = string.Empty;
        }

        internal sealed class MessageVector
        {
            public string Name { get; set; } = string.Empty;

            public string RandomPrefixHex { get; set; } = string.Empty;

            public string ReceiveId { get; set; } = string.Empty;

            public string PlaintextXml { get; set; } = string.Empty;

            public int PadLength { get; set; }

            public string Timestamp { get; set; } = string.Empty;

            public string Nonce { get; set; } = string.Empty;

            public string Encrypt { get; set; } = string.Empty;

            public string MsgSignature { get; set; } = string.Empty;

            public string Body { get; set; } = string.Empty;

            public Dictionary<string, JsonElement> Expected { get; set; } = new();

            public override string ToString() => Name;
        }

        internal sealed class UrlVector
        {
            public string Timestamp { get; set; } = string.Empty;

            public string Nonce { get; set; } = string.Empty;

            public string Echostr { get; set; } = string.Empty;

            public string MsgSignature { get; set; } = string.Empty;

            public string ReceiveId { get; set; } = string.Empty;

            public string ExpectedEcho { get; set; } = string.Empty;
        }

        internal sealed class BadVector
        {
            public string Name { get; set; } = string.Empty;

            public string Timestamp { get; set; } = string.Empty;

            public string Nonce { get; set; } = string.Empty;

            public string MsgSignature { get; set; } = string.Empty;

            public string Body { get; set; } = string.Empty;

            public string ExpectedError { get; set; } = string.Empty;

            public override string ToString() => Name;
        }
    }
}

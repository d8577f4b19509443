namespace WeComExport.Callbacks
{
    /// <summary>A callback as WeCom would POST it: the body and the query parameters that sign it.</summary>
    public sealed class SealedCallback
    {
        public SealedCallback(string body, string encrypt, string msgSignature, string timestamp, string nonce)
        {
            Body = body;
            Encrypt = encrypt;
            MsgSignature = msgSignature;
            Timestamp = timestamp;
            Nonce = nonce;
        }

        /// <summary>The POST body: &lt;xml&gt; with ToUserName, Encrypt and (when given) AgentID.</summary>
        public string Body { get; }

        /// <summary>The Base64 ciphertext inside the body (also what an echostr is).</summary>
        public string Encrypt { get; }

        /// <summary>The msg_signature query parameter.</summary>
        public string MsgSignature { get; }

        /// <summary>The timestamp query parameter.</summary>
        public string Timestamp { get; }

        /// <summary>The nonce query parameter.</summary>
        public string Nonce { get; }
    }
}

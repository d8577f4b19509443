using System;

namespace WeComExport.Emulator
{
    /// <summary>Where and how to deliver a corp's batch_job_result events.</summary>
    public sealed class CallbackOptions
    {
        /// <summary>
        /// The tag export's JobType by default: "export_tag", what self-built and vendor-built apps receive
        /// (docs 94946, 96298); "export_taguser" is the third-party page's spelling (doc 94956).
        /// </summary>
        public const string DefaultTagJobType = "export_tag";

        public CallbackOptions(Uri url, string token, string encodingAesKey, string tagJobType = DefaultTagJobType)
        {
            Url = url ?? throw new ArgumentNullException(nameof(url));
            Token = token ?? throw new ArgumentNullException(nameof(token));
            EncodingAesKey = encodingAesKey ?? throw new ArgumentNullException(nameof(encodingAesKey));
            TagJobType = tagJobType;
        }

        public Uri Url { get; }

        public string Token { get; }

        public string EncodingAesKey { get; }

        /// <summary>"export_tag" (the default) or "export_taguser": WeCom's docs use both for the tag export's JobType.</summary>
        public string TagJobType { get; }

        public override string ToString() => $"Callback to {Url} (token and key hidden), tag JobType {TagJobType}";
    }
}

using System;

namespace WeComExport.Emulator
{
    /// <summary>Where and how to deliver a corp's batch_job_result events.</summary>
    public sealed class CallbackOptions
    {
        public CallbackOptions(Uri url, string token, string encodingAesKey, string tagJobType = "export_taguser")
        {
            Url = url ?? throw new ArgumentNullException(nameof(url));
            Token = token ?? throw new ArgumentNullException(nameof(token));
            EncodingAesKey = encodingAesKey ?? throw new ArgumentNullException(nameof(encodingAesKey));
            TagJobType = tagJobType;
        }

        public Uri Url { get; }

        public string Token { get; }

        public string EncodingAesKey { get; }

        /// <summary>"export_taguser" or "export_tag": WeCom's docs use both for the tag export's JobType.</summary>
        public string TagJobType { get; }

        public override string ToString() => $"Callback to {Url} (token and key hidden), tag JobType {TagJobType}";
    }
}

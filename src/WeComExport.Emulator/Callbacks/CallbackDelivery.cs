namespace WeComExport.Emulator.Callbacks
{
    /// <summary>What happened to one job's callback, for GET /_emulator/callback.</summary>
    internal sealed class CallbackDelivery
    {
        public CallbackDelivery(string jobId, string corpId, string jobType)
        {
            JobId = jobId;
            CorpId = corpId;
            JobType = jobType;
        }

        public string JobId { get; }

        public string CorpId { get; }

        public string JobType { get; }

        public int Attempts { get; set; }

        public bool Delivered { get; set; }

        public int LastStatus { get; set; }

        public string? LastError { get; set; }
    }
}

namespace WeComExport.Callbacks
{
    /// <summary>A decrypted callback message and the receiveid (CorpID or SuiteID) it was addressed to.</summary>
    public sealed class CallbackPlaintext
    {
        public CallbackPlaintext(string message, string receiveId)
        {
            Message = message;
            ReceiveId = receiveId;
        }

        public string Message { get; }

        public string ReceiveId { get; }
    }
}

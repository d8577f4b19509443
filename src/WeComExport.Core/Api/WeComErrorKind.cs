namespace WeComExport.Api
{
    /// <summary>What a failure means for the caller; the cmdlets map each kind to one PowerShell ErrorCategory.</summary>
    public enum WeComErrorKind
    {
        Unknown,
        Authentication,
        InvalidArgument,
        NotFound,
        PermissionDenied,
        LimitExceeded,
        Busy,
        Connection,
        InvalidData,
        OperationFailed,
        Timeout,
    }
}

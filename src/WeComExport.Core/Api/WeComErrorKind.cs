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

        /// <summary>A message that is forged or addressed to someone else.</summary>
        Security,

        /// <summary>Input of another kind than the command handles.</summary>
        InvalidType,

        /// <summary>Writing on this machine failed (disk full, no permission).</summary>
        LocalWrite,

        /// <summary>There is no usable session.</summary>
        NotConnected,

        /// <summary>What was asked for exists but is not available yet (a job still running).</summary>
        ResourceUnavailable,

        /// <summary>Something is already where the command would put its result, and it is not the command's to replace.</summary>
        ResourceExists,
        /// <summary>Reading a file on this machine failed (no permission, a disk error).</summary>
        LocalRead,
    }
}

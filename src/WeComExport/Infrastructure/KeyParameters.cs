using System;
using System.Management.Automation;
using System.Security;
using WeComExport.Crypto;
using WeComExport.Security;

namespace WeComExport.Commands
{
    /// <summary>The one way a cmdlet turns a SecureString key parameter into a key, or stops with the caller's error record.</summary>
    internal static class KeyParameters
    {
        public static EncodingAesKey Parse(Cmdlet cmdlet, SecureString value, Func<string, ErrorRecord> errorFor)
        {
            EncodingAesKey? key = EncodingAesKey.TryParse(SecureText.Reveal(value), out string? problem);
            if (key is null)
            {
                cmdlet.ThrowTerminatingError(errorFor(problem!));
            }

            return key!;
        }
    }
}

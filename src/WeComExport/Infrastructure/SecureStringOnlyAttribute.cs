using System;
using System.Management.Automation;
using System.Security;

namespace WeComExport.Commands
{
    /// <summary>
    /// Refuses plain text for a SecureString parameter with a message that does not quote it:
    /// Windows PowerShell 5.1's own binding error would echo the secret into $Error and transcripts.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SecureStringOnlyAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is null or SecureString)
            {
                return value;
            }

            throw new ArgumentTransformationMetadataException(
                "This parameter takes a SecureString (Read-Host -AsSecureString, ConvertTo-SecureString, or a credential's Password), never plain text. The value given is not shown.");
        }
    }
}

using System;
using System.Management.Automation;
using WeComExport.Api;

namespace WeComExport.Commands
{
    /// <summary>
    /// Refuses a session read back from a file (Export-Clixml, a job's output) with a message that says why, rather than
    /// PowerShell's bare conversion error: a session's credentials live only in the process that connected.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class LiveSessionOnlyAttribute : ArgumentTransformationAttribute
    {
        private static readonly string DeserializedTypeName = "Deserialized." + typeof(WeComSession).FullName;

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            if (inputData is PSObject { BaseObject: not WeComSession } wrapped && wrapped.TypeNames.Contains(DeserializedTypeName))
            {
                throw new ArgumentTransformationMetadataException(
                    "This is a copy of a session read back from a file or another process; it holds no credentials and cannot call WeCom. Run Connect-WeCom in this session, or pass (Get-WeComSession -Id N).");
            }

            return inputData;
        }
    }
}

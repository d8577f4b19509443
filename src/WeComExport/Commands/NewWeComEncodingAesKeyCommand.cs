using System.Management.Automation;
using System.Security;
using WeComExport.Crypto;
using WeComExport.Security;

namespace WeComExport.Commands
{
    /// <summary>New-WeComEncodingAesKey: a 43-character key from a cryptographic RNG, as a SecureString unless -AsPlainText.</summary>
    [Cmdlet(VerbsCommon.New, "WeComEncodingAesKey")]
    [OutputType(typeof(SecureString), typeof(string))]
    public sealed class NewWeComEncodingAesKeyCommand : PSCmdlet
    {
        /// <summary>Return the key as a plain string instead of a SecureString.</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        protected override void EndProcessing()
        {
            EncodingAesKey key = EncodingAesKey.Generate();
            if (AsPlainText)
            {
                WriteObject(key.Reveal());
            }
            else
            {
                WriteObject(SecureText.From(key.Reveal()));
            }
        }
    }
}

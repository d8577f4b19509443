using System;
using System.Management.Automation;
using System.Security;
using WeComExport.Api;
using WeComExport.Callbacks;
using WeComExport.Crypto;
using WeComExport.Diagnostics;
using WeComExport.Security;

namespace WeComExport.Commands
{
    /// <summary>
    /// ConvertFrom-WeComExportNotification: turns what WeCom POSTs to a callback URL (a plain
    /// batch_job_result event, or the signed and encrypted envelope it really sends) into an
    /// ExportNotification whose JobId binds to the result cmdlets; with -EchoStr, answers the
    /// URL-verification GET. Each failing input gets its own error record; the rest go on.
    /// </summary>
    [Cmdlet(VerbsData.ConvertFrom, "WeComExportNotification", DefaultParameterSetName = PlainSet)]
    [OutputType(typeof(ExportNotification), ParameterSetName = new[] { PlainSet, EncryptedSet })]
    [OutputType(typeof(string), ParameterSetName = new[] { UrlVerificationSet })]
    public sealed class ConvertFromWeComExportNotificationCommand : PSCmdlet
    {
        private const string PlainSet = "Plain";
        private const string EncryptedSet = "Encrypted";
        private const string UrlVerificationSet = "UrlVerification";

        private string token = string.Empty;
        private EncodingAesKey? key;

        /// <summary>The callback body: plain event XML, or the encrypted envelope with -MsgSignature etc.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PlainSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = EncryptedSet)]
        [Alias("Body", "Xml")]
        [AllowNull]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string?[]? InputObject { get; set; }

        /// <summary>The msg_signature query parameter of the request.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = EncryptedSet)]
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = UrlVerificationSet)]
        [Alias("msg_signature")]
        [AllowEmptyString]
        public string MsgSignature { get; set; } = string.Empty;

        /// <summary>The timestamp query parameter, exactly as sent.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = EncryptedSet)]
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = UrlVerificationSet)]
        [AllowEmptyString]
        public string Timestamp { get; set; } = string.Empty;

        /// <summary>The nonce query parameter.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = EncryptedSet)]
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = UrlVerificationSet)]
        [AllowEmptyString]
        public string Nonce { get; set; } = string.Empty;

        /// <summary>The echostr query parameter of WeCom's URL-verification GET; the output is the string to answer with.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = UrlVerificationSet)]
        [AllowEmptyString]
        public string EchoStr { get; set; } = string.Empty;

        /// <summary>The app's callback Token (from its "receive messages" settings).</summary>
        [Parameter(Mandatory = true, ParameterSetName = EncryptedSet)]
        [Parameter(Mandatory = true, ParameterSetName = UrlVerificationSet)]
        [SecureStringOnly]
        public SecureString? Token { get; set; }

        /// <summary>The app's callback EncodingAESKey (43 characters; not an export job's key).</summary>
        [Parameter(Mandatory = true, ParameterSetName = EncryptedSet)]
        [Parameter(Mandatory = true, ParameterSetName = UrlVerificationSet)]
        [SecureStringOnly]
        public SecureString? EncodingAesKey { get; set; }

        /// <summary>The receiveid the message must be addressed to: the CorpID, or the SuiteID for third-party suites.</summary>
        [Parameter(ParameterSetName = EncryptedSet)]
        [Parameter(ParameterSetName = UrlVerificationSet)]
        [Alias("ReceiveId", "SuiteId")]
        [ValidateNotNullOrEmpty]
        public string? CorpId { get; set; }

        /// <summary>Pass events other than batch_job_result through instead of writing an error for them.</summary>
        [Parameter(ParameterSetName = PlainSet)]
        [Parameter(ParameterSetName = EncryptedSet)]
        public SwitchParameter IncludeOtherEvent { get; set; }

        protected override void BeginProcessing()
        {
            if (ParameterSetName == PlainSet)
            {
                return;
            }

            token = SecureText.Reveal(Token!);
            if (token.Length == 0)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument(WeComErrors.CallbackTokenEmpty, "The callback Token is empty.", null));
            }

            key = KeyParameters.Parse(this, EncodingAesKey!, problem =>
                ErrorRecords.FromException(new CallbackCryptoException(CallbackCryptoException.IllegalAesKey, problem), null));
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == UrlVerificationSet)
            {
                ConvertOrWriteError(EchoStr, () =>
                {
                    string echo = CallbackEnvelope.VerifyUrl(MsgSignature, Timestamp, Nonce, EchoStr, token, key!, CorpId);
                    WriteVerbose("Verified the URL-verification request's signature and decrypted its echostr.");
                    WriteObject(echo);
                });
                return;
            }

            string?[] items = InputObject is { Length: > 0 } ? InputObject : new string?[] { null };
            foreach (string? item in items)
            {
                ConvertOrWriteError(item, () => WriteObject(ParseOne(item)));
            }
        }

        private ExportNotification ParseOne(string? item)
        {
            if (ParameterSetName == PlainSet)
            {
                return Report(ExportNotificationParser.Parse(item, IncludeOtherEvent));
            }

            CallbackPlaintext plain = CallbackEnvelope.Open(item, MsgSignature, Timestamp, Nonce, token, key!, CorpId);
            // The receiveid and the event's fields are the sender's text: shown through the Redactor, as every engine line is.
            WriteVerbose(Redactor.Redact(CorpId is null
                ? $"Verified msg_signature and decrypted a {plain.Message.Length}-character event for receiveid '{plain.ReceiveId}' (not checked: no -CorpId)."
                : $"Verified msg_signature, decrypted a {plain.Message.Length}-character event and checked its receiveid '{plain.ReceiveId}'."));
            return Report(ExportNotificationParser.Parse(plain.Message, IncludeOtherEvent, plain.ReceiveId));
        }

        private ExportNotification Report(ExportNotification notification)
        {
            WriteVerbose(Redactor.Redact($"Notification: {notification}."));
            return notification;
        }

        private void ConvertOrWriteError(object? target, Action action)
        {
            try
            {
                action();
            }
            catch (CallbackCryptoException ex)
            {
                WriteError(ErrorRecords.FromException(ex, target));
            }
            catch (NotificationException ex)
            {
                WriteError(ErrorRecords.FromException(ex, target));
            }
        }
    }
}

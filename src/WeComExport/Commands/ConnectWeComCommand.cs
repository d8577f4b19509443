using System;
using System.Management.Automation;
using System.Security;
using WeComExport.Api;
using WeComExport.Security;

namespace WeComExport.Commands
{
    /// <summary>
    /// Connect-WeCom: checks the credentials at once (fetches a token) and makes the session current.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "WeCom", DefaultParameterSetName = SecretSet)]
    [OutputType(typeof(WeComSession))]
    public sealed class ConnectWeComCommand : WeComCmdlet
    {
        /// <summary>Environment variable names read by -FromEnvironment.</summary>
        public const string CorpIdVariable = "WECOM_CORP_ID";
        public const string SecretVariable = "WECOM_CORP_SECRET";
        public const string ApiBaseUriVariable = "WECOM_API_BASE_URI";

        private const string SecretSet = "Secret";
        private const string CredentialSet = "Credential";
        private const string EnvironmentSet = "Environment";

        /// <summary>The corp's CorpID (ww...).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = SecretSet)]
        [ValidateNotNullOrEmpty]
        public string CorpId { get; set; } = string.Empty;

        /// <summary>The secret of a self-built app whose visible range covers the directory (the contacts-sync secret may no longer export members or departments: WeCom.48009).</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = SecretSet)]
        [ValidateNotNull]
        [SecureStringOnly]
        public SecureString? Secret { get; set; }

        /// <summary>UserName = CorpID, Password = secret: what an Azure Automation credential asset gives.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [ValidateNotNull]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>Read WECOM_CORP_ID, WECOM_CORP_SECRET and (optional) WECOM_API_BASE_URI.</summary>
        [Parameter(Mandatory = true, ParameterSetName = EnvironmentSet)]
        public SwitchParameter FromEnvironment { get; set; }

        /// <summary>The API's address; HTTPS, or plain HTTP to a loopback address (the local emulator).</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? ApiBaseUri { get; set; }

        /// <summary>
        /// An HTTP proxy for every call and download of the session (http:// or https://host:port, no user info).
        /// Without it, HTTPS_PROXY/HTTP_PROXY/NO_PROXY (and on Windows the system setting) apply.
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? Proxy { get; set; }

        /// <summary>The user name and password the proxy asks for (needs -Proxy).</summary>
        [Parameter]
        [ValidateNotNull]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>Also write the session to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            (string corpId, SecureString secret, Uri? baseUri) = ReadCredentials();
            string? problem = WeComEndpoint.Validate(baseUri ?? WeComEndpoint.DefaultBaseUri);
            if (problem is not null)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument(WeComErrors.InvalidApiBaseUri, problem, null));
            }

            WeComProxy? proxy = ReadProxy();
            WeComSession session;
            try
            {
                session = RunEngine(ct => WeComSession.ConnectAsync(corpId, secret, baseUri, proxy, ct));
            }
            catch (EngineCallException ex)
            {
                ThrowTerminatingError(ErrorRecords.FromException(ex.InnerException!, corpId));
                return;
            }

            WriteVerbose($"Connected {session}; the token is cached until {session.TokenExpiresAt:u}.");
            CurrentSession.Set(session);
            ConnectedSessions.Add(session);
            if (PassThru)
            {
                WriteObject(session);
            }
        }

        private WeComProxy? ReadProxy()
        {
            if (Proxy is null)
            {
                if (ProxyCredential is not null)
                {
                    ThrowTerminatingError(ErrorRecords.InvalidArgument(WeComErrors.InvalidProxy, "-ProxyCredential needs -Proxy: pass the proxy's address with -Proxy.", null));
                }

                return null;
            }

            string? problem = WeComProxy.Validate(Proxy);
            if (problem is not null)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument(WeComErrors.InvalidProxy, problem, null));
            }

            var proxy = new WeComProxy(Proxy, ProxyCredential?.UserName, ProxyCredential?.Password);
            WriteVerbose($"Using the proxy {proxy}{(proxy.UserName is null ? string.Empty : " as " + proxy.UserName)} for every call and download.");
            return proxy;
        }

        private (string CorpId, SecureString Secret, Uri? BaseUri) ReadCredentials()
        {
            switch (ParameterSetName)
            {
                case CredentialSet:
                    return (Credential!.UserName, Credential.Password, ApiBaseUri);
                case EnvironmentSet:
                    string? corpId = Environment.GetEnvironmentVariable(CorpIdVariable);
                    string? secret = Environment.GetEnvironmentVariable(SecretVariable);
                    if (string.IsNullOrWhiteSpace(corpId) || string.IsNullOrEmpty(secret))
                    {
                        ThrowTerminatingError(ErrorRecords.Create(
                            new InvalidOperationException($"-FromEnvironment needs the environment variables {CorpIdVariable} and {SecretVariable}."),
                            WeComErrors.EnvironmentIncomplete,
                            null));
                    }

                    Uri? baseUri = ApiBaseUri;
                    string? fromEnvironment = Environment.GetEnvironmentVariable(ApiBaseUriVariable);
                    if (baseUri is null && !string.IsNullOrWhiteSpace(fromEnvironment))
                    {
                        if (!Uri.TryCreate(fromEnvironment, UriKind.Absolute, out baseUri))
                        {
                            ThrowTerminatingError(ErrorRecords.InvalidArgument(WeComErrors.InvalidApiBaseUri, $"{ApiBaseUriVariable} is not an absolute URI.", null));
                        }
                    }

                    return (corpId!, SecureText.From(secret!), baseUri);
                default:
                    return (CorpId, Secret!, ApiBaseUri);
            }
        }
    }
}

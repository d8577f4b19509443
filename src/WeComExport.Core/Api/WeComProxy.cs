using System;
using System.Net;
using System.Security;

namespace WeComExport.Api
{
    /// <summary>
    /// An HTTP forward proxy every call and download of a session goes through (Connect-WeCom -Proxy),
    /// with optional Basic/NTLM/Negotiate credentials. Without one, HttpClient's default proxy applies
    /// (HTTPS_PROXY, HTTP_PROXY, NO_PROXY; on Windows also the system setting). The password is held as
    /// a read-only SecureString and handed to .NET as a NetworkCredential; it is never shown:
    /// <see cref="ToString"/> and <see cref="Address"/> give scheme://host:port only.
    /// </summary>
    public sealed class WeComProxy
    {
        private readonly Uri address;
        private readonly string? userName;
        private readonly SecureString? password;

        /// <summary>A proxy at <paramref name="address"/> (http:// or https://, no user info), with credentials when <paramref name="userName"/> is given.</summary>
        /// <exception cref="WeComException">WeComInvalidProxy: the address is not acceptable (the message never holds its user info).</exception>
        public WeComProxy(Uri address, string? userName = null, SecureString? password = null)
        {
            string? problem = Validate(address);
            if (problem is not null)
            {
                throw new WeComException(WeComErrors.InvalidProxy, problem);
            }

            this.address = new Uri(address.GetLeftPart(UriPartial.Authority));
            if (!string.IsNullOrEmpty(userName))
            {
                this.userName = userName;
                this.password = password is null ? new SecureString() : password.Copy();
                this.password.MakeReadOnly();
            }
        }

        /// <summary>The proxy's scheme://host:port: never user info or a password, so it is safe to print.</summary>
        public string Address => WeComEndpoint.Describe(address);

        /// <summary>The user name sent to the proxy, or null without credentials.</summary>
        public string? UserName => userName;

        /// <summary>Returns why <paramref name="uri"/> is not acceptable as a proxy address, or null when it is. Never holds its user info.</summary>
        public static string? Validate(Uri? uri)
        {
            const string rule = "give the proxy as http://host:port or https://host:port, and its user name and password with -ProxyCredential";
            if (uri is null || !uri.IsAbsoluteUri)
            {
                return $"The proxy address must be an absolute URI: {rule}.";
            }

            if (uri.UserInfo.Length > 0)
            {
                return $"The proxy address '{WeComEndpoint.Describe(uri)}' carries a user name or password before '@': user info is not allowed; {rule}.";
            }

            if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            {
                return $"The proxy address '{WeComEndpoint.Describe(uri)}' is refused: only http:// and https:// proxies are supported; {rule}.";
            }

            return null;
        }

        public override string ToString() => Address;

        /// <summary>Destroys this object's copy of the password (its memory is zeroed); called when the session disconnects.</summary>
        internal void ForgetPassword() => password?.Dispose();

        private sealed class PasswordOnDemand : ICredentials
        {
            private readonly WeComProxy owner;

            public PasswordOnDemand(WeComProxy owner) => this.owner = owner;

            public NetworkCredential? GetCredential(Uri uri, string authType) => owner.CurrentCredential();
        }

        /// <summary>
        /// The WebProxy for the session's handler. BypassProxyOnLocal stays false and the bypass list empty,
        /// so on .NET (PowerShell 7) loopback addresses go through the proxy too: an explicit -Proxy means
        /// every request. (.NET Framework's WebProxy always sends loopback addresses direct.)
        /// </summary>
        internal WebProxy CreateWebProxy() => new(address)
        {
            BypassProxyOnLocal = false,
            UseDefaultCredentials = false,
            Credentials = userName is null ? null : new PasswordOnDemand(this),
        };

        /// <summary>A NetworkCredential made each time one is asked for, from the password this object holds, so
        /// that what the HTTP stack caches (its connection pools keep the ICredentials) holds no copy of it.</summary>
        private NetworkCredential? CurrentCredential()
        {
            try
            {
                return password is null || userName is null ? null : new NetworkCredential(userName, password);
            }
            catch (ObjectDisposedException)
            {
                return null; // disconnected: the password was destroyed
            }
        }
    }
}

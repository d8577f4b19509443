using System.Security;
using WeComExport.Security;

namespace WeComExport.Commands
{
    /// <summary>Cmdlet-side shorthand for <see cref="SecureText"/>, the engine's one place for SecureString.</summary>
    internal static class SecureStrings
    {
        public static SecureString From(string text) => SecureText.From(text);

        public static string Reveal(SecureString secure) => SecureText.Reveal(secure);
    }
}

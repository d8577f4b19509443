using System;
using System.Runtime.InteropServices;
using System.Security;

namespace WeComExport.Security
{
    /// <summary>The one place that moves text in and out of SecureString.</summary>
    public static class SecureText
    {
        public static SecureString From(string text)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var secure = new SecureString();
            foreach (char c in text)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        public static string Reveal(SecureString secure)
        {
            if (secure is null)
            {
                throw new ArgumentNullException(nameof(secure));
            }

            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
                return Marshal.PtrToStringUni(ptr) ?? string.Empty;
            }
            finally
            {
                if (ptr != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(ptr);
                }
            }
        }
    }
}

using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WeComExport.Emulator.Api
{
    /// <summary>
    /// Block download URLs carry their own expiry: authkey = "{expiry unix ms}-{HMAC}", keyed by a
    /// secret made at server start, so a URL cannot be extended by editing it and needs no table.
    /// </summary>
    internal sealed class UrlSigner
    {
        private readonly byte[] key = RandomNumberGenerator.GetBytes(32);

        public enum Verdict
        {
            Valid,
            Invalid,
            Expired,
        }

        public string AuthKey(string fileId, DateTimeOffset expires)
        {
            string expiry = expires.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            return expiry + "-" + Mac(fileId, expiry);
        }

        public Verdict Check(string fileId, string? authKey, DateTimeOffset now)
        {
            int dash = authKey?.IndexOf('-', StringComparison.Ordinal) ?? -1;
            if (dash <= 0)
            {
                return Verdict.Invalid;
            }

            string expiry = authKey![..dash];
            byte[] expected = Encoding.ASCII.GetBytes(Mac(fileId, expiry));
            byte[] actual = Encoding.ASCII.GetBytes(authKey[(dash + 1)..]);
            if (!CryptographicOperations.FixedTimeEquals(expected, actual) ||
                !long.TryParse(expiry, NumberStyles.None, CultureInfo.InvariantCulture, out long ms))
            {
                return Verdict.Invalid;
            }

            return now.ToUnixTimeMilliseconds() >= ms ? Verdict.Expired : Verdict.Valid;
        }

        private string Mac(string fileId, string expiry) =>
            Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(fileId + "|" + expiry)));
    }
}

using System;
using System.IO;
using System.Security.Cryptography;

namespace WeComExport.Bench
{
    /// <summary>
    /// The floor's transport pass, written with the BCL alone (not the engine's stream): reads ciphertext from
    /// <c>source</c>, hashes every byte with an incremental MD5 and decrypts AES-256-CBC (padding off) chunk by
    /// chunk, withholding the last 32 plaintext bytes until the end so WeCom's 32-byte PKCS#7 pad can be stripped.
    /// </summary>
    internal sealed class FloorCipherStream : Stream
    {
        private const int Withheld = 32;
        private readonly Stream source;
        private readonly Aes aes;
        private readonly IncrementalHash md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        private readonly byte[] cipher = new byte[1 << 17];
        private readonly byte[] plain = new byte[(1 << 17) + Withheld + 16];
        private readonly byte[] iv = new byte[16];
        private int cipherLength;
        private int plainStart;
        private int plainEnd;
        private bool ended;

        public FloorCipherStream(Stream source, string encodingAesKey)
        {
            this.source = source;
            byte[] key = Convert.FromBase64String(encodingAesKey + "=");
            aes = Aes.Create();
            aes.Key = key;
            Array.Copy(key, iv, 16);
        }

        public long CipherBytes { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        /// <summary>The MD5 of all ciphertext read, as lower-case hex; only once the stream has ended.</summary>
        public string Md5Hex() => ended ? Convert.ToHexStringLower(md5.GetHashAndReset()) : throw new InvalidOperationException("The stream has not ended.");

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (true)
            {
                int servable = plainEnd - plainStart - (ended ? 0 : Withheld);
                if (servable > 0)
                {
                    int n = Math.Min(servable, buffer.Length);
                    plain.AsSpan(plainStart, n).CopyTo(buffer);
                    plainStart += n;
                    return n;
                }

                if (ended)
                {
                    return 0;
                }

                Fill();
            }
        }

        private void Fill()
        {
            int kept = plainEnd - plainStart;
            Buffer.BlockCopy(plain, plainStart, plain, 0, kept);
            plainStart = 0;
            plainEnd = kept;
            int read = source.Read(cipher, cipherLength, cipher.Length - cipherLength);
            if (read == 0)
            {
                ended = true;
                if (cipherLength != 0 || plainEnd == 0)
                {
                    throw new InvalidDataException("The ciphertext is empty or not a multiple of 16 bytes.");
                }

                int pad = plain[plainEnd - 1];
                if (pad is < 1 or > Withheld || pad > plainEnd)
                {
                    throw new InvalidDataException("Bad padding: wrong key or damaged data.");
                }

                plainEnd -= pad;
                return;
            }

            md5.AppendData(cipher, cipherLength, read);
            CipherBytes += read;
            cipherLength += read;
            int whole = cipherLength & ~15;
            if (whole == 0)
            {
                return;
            }

            plainEnd += aes.DecryptCbc(cipher.AsSpan(0, whole), iv, plain.AsSpan(plainEnd), PaddingMode.None);
            cipher.AsSpan(whole - 16, 16).CopyTo(iv);
            cipherLength -= whole;
            Buffer.BlockCopy(cipher, whole, cipher, 0, cipherLength);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                md5.Dispose();
                aes.Dispose();
                source.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

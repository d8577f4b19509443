using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Crypto;
using WeComExport.Internal;

namespace WeComExport.Blocks
{
    /// <summary>
    /// A forward, read-only stream of a block's plaintext: AES-256-CBC without the BCL's padding, and
    /// the 32-byte PKCS#7 padding stripped by hand. The last 32 decrypted bytes are withheld until the
    /// ciphertext ends, since only then is it known which of them are padding.
    /// </summary>
    internal sealed class DecryptingReadStream : ForwardReadStream
    {
        private const int CipherChunkSize = 64 * 1024;
        private const int AesBlockSize = 16;

        private readonly Stream source;
        private readonly bool leaveOpen;
        private readonly Aes aes;
        private readonly ICryptoTransform decryptor;
        private readonly byte[] cipher = new byte[CipherChunkSize];

        // Room for one chunk, the withheld tail and whatever a final transform may flush.
        private readonly byte[] plain = new byte[CipherChunkSize + (2 * WeComCipher.PadBlockSize)];

        private int cipherCount;
        private long cipherTotal;
        private int plainStart;
        private int readyEnd;
        private int plainEnd;
        private bool finished;
        private bool disposed;

        public DecryptingReadStream(Stream source, EncodingAesKey key, bool leaveOpen)
        {
            this.source = source ?? throw new ArgumentNullException(nameof(source));
            if (!source.CanRead)
            {
                throw new ArgumentException("The ciphertext stream must be readable.", nameof(source));
            }

            this.leaveOpen = leaveOpen;
            aes = WeComCipher.CreateAes(key);
            decryptor = aes.CreateDecryptor();
        }

        public override bool CanRead => !disposed;

        public override int Read(byte[] buffer, int offset, int count)
        {
            CheckArguments(buffer, offset, count);
            while (plainStart == readyEnd && !finished)
            {
                Decrypt(ReadCiphertext());
            }

            return Take(buffer, offset, count);
        }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            CheckArguments(buffer, offset, count);
            while (plainStart == readyEnd && !finished)
            {
                int read = await source.ReadAsync(cipher, cipherCount, cipher.Length - cipherCount, cancellationToken).ConfigureAwait(false);
                Decrypt(read);
            }

            return Take(buffer, offset, count);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !disposed)
            {
                disposed = true;
                decryptor.Dispose();
                aes.Dispose();
                if (!leaveOpen)
                {
                    source.Dispose();
                }
            }

            base.Dispose(disposing);
        }

        private int ReadCiphertext() => source.Read(cipher, cipherCount, cipher.Length - cipherCount);

        /// <summary>Decrypts the whole AES blocks read so far, withholding the last 32 plaintext bytes until the end.</summary>
        private void Decrypt(int read)
        {
            if (disposed)
            {
                throw new ObjectDisposedException(nameof(DecryptingReadStream));
            }

            // Move the withheld tail to the front: the next bytes decrypt right after it.
            int tail = plainEnd - readyEnd;
            Buffer.BlockCopy(plain, readyEnd, plain, 0, tail);
            plainStart = 0;
            readyEnd = 0;
            plainEnd = tail;

            cipherCount += read;
            cipherTotal += read;
            int whole = cipherCount - (cipherCount % AesBlockSize);
            if (whole > 0)
            {
                plainEnd += decryptor.TransformBlock(cipher, 0, whole, plain, plainEnd);
                cipherCount -= whole;
                Buffer.BlockCopy(cipher, whole, cipher, 0, cipherCount);
            }

            if (read == 0)
            {
                Finish();
            }
            else
            {
                readyEnd = Math.Max(0, plainEnd - WeComCipher.PadBlockSize);
            }
        }

        private void Finish()
        {
            if (cipherCount != 0 || cipherTotal == 0)
            {
                throw new WeComCryptoException($"The ciphertext is {cipherTotal} bytes long, not a non-zero multiple of the AES block size (16): the block is truncated or damaged.");
            }

            // With PaddingMode.None this is normally empty; a provider that withholds a block flushes it here.
            byte[] rest = decryptor.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
            Buffer.BlockCopy(rest, 0, plain, plainEnd, rest.Length);
            plainEnd += rest.Length;

            int pad = WeComCipher.CheckPadding(plain, plainEnd);
            readyEnd = plainEnd - pad;
            finished = true;
        }

        private int Take(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, readyEnd - plainStart);
            Buffer.BlockCopy(plain, plainStart, buffer, offset, n);
            plainStart += n;
            return n;
        }

        private void CheckArguments(byte[] buffer, int offset, int count)
        {
            if (buffer is null)
            {
                throw new ArgumentNullException(nameof(buffer));
            }

            if (offset < 0 || count < 0 || count > buffer.Length - offset)
            {
                throw new ArgumentOutOfRangeException(nameof(count), "offset and count must lie within the buffer.");
            }

            if (disposed)
            {
                throw new ObjectDisposedException(nameof(DecryptingReadStream));
            }
        }
    }
}

using System;
using System.IO;
using System.Security.Cryptography;
using WeComExport.Crypto;

namespace WeComExport.Emulator.Jobs
{
    /// <summary>
    /// A write-only stream that encrypts what it is given (AES-256-CBC, WeCom's IV rule) straight to a
    /// file, computing the ciphertext's size and MD5 on the way, with a fixed 64 KB buffer: a block of
    /// hundreds of MB never sits in memory. <see cref="Complete"/> adds the 32-byte PKCS#7 pad.
    /// </summary>
    internal sealed class EncryptedBlockStream : Stream
    {
        private const int ChunkSize = 64 * 1024;

        private readonly Stream output;
        private readonly Aes aes;
        private readonly ICryptoTransform encryptor;
        private readonly IncrementalHash md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        private readonly byte[] plain = new byte[ChunkSize + WeComCipher.PadBlockSize];
        private readonly byte[] cipher = new byte[ChunkSize + WeComCipher.PadBlockSize];
        private int filled;
        private long plainLength;
        private long cipherLength;
        private bool completed;

        public EncryptedBlockStream(Stream output, EncodingAesKey key)
        {
            this.output = output;
            aes = WeComCipher.CreateAes(key);
            // CA5401: WeCom's protocol fixes the IV to the key's first 16 bytes; it is not ours to choose.
#pragma warning disable CA5401
            encryptor = aes.CreateEncryptor();
#pragma warning restore CA5401
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => !completed;

        public override long Length => plainLength;

        public override long Position
        {
            get => plainLength;
            set => throw new NotSupportedException();
        }

        /// <summary>Pads, encrypts the rest and returns the ciphertext's size and lower-case hex MD5.</summary>
        public (long Size, string Md5) Complete()
        {
            if (completed)
            {
                throw new InvalidOperationException("The block is already complete.");
            }

            int pad = WeComCipher.PadLength(plainLength);
            for (int i = 0; i < pad; i++)
            {
                plain[filled++] = (byte)pad;
            }

            EncryptBuffered();
            completed = true;
            output.Flush();
            return (cipherLength, Convert.ToHexStringLower(md5.GetHashAndReset()));
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (completed)
            {
                throw new InvalidOperationException("The block is already complete.");
            }

            while (!buffer.IsEmpty)
            {
                int n = Math.Min(buffer.Length, ChunkSize - filled);
                buffer[..n].CopyTo(plain.AsSpan(filled));
                filled += n;
                plainLength += n;
                buffer = buffer[n..];
                if (filled == ChunkSize)
                {
                    EncryptBuffered();
                }
            }
        }

        public override void Flush()
        {
            // Data is encrypted in whole chunks; a partial chunk waits for more data or Complete().
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                encryptor.Dispose();
                aes.Dispose();
                md5.Dispose();
            }

            base.Dispose(disposing);
        }

        private void EncryptBuffered()
        {
            if (filled == 0)
            {
                return;
            }

            int n = encryptor.TransformBlock(plain, 0, filled, cipher, 0);
            output.Write(cipher, 0, n);
            md5.AppendData(cipher, 0, n);
            cipherLength += n;
            filled = 0;
        }
    }
}

using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Crypto;
using WeComExport.Export;
using WeComExport.Internal;
using WeComExport.Records;

namespace WeComExport.Blocks
{
    /// <summary>Decrypts a downloaded block as a stream, never holding the whole block in memory.</summary>
    public static class BlockDecryption
    {
        private const int CopyBufferSize = 81920;

        /// <summary>
        /// A read-only forward stream of the block's plaintext JSON. Throws <see cref="WeComCryptoException"/>
        /// from Read when the ciphertext is not whole AES blocks or its padding is invalid (wrong key or
        /// damaged data). Disposing it disposes <paramref name="ciphertext"/>.
        /// </summary>
        public static Stream OpenPlaintext(Stream ciphertext, EncodingAesKey key) => OpenPlaintext(ciphertext, key, leaveOpen: false);

        /// <summary>As <see cref="OpenPlaintext(Stream, EncodingAesKey)"/>; with <paramref name="leaveOpen"/> the ciphertext stream stays open.</summary>
        public static Stream OpenPlaintext(Stream ciphertext, EncodingAesKey key, bool leaveOpen)
        {
            if (key is null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            return new DecryptingReadStream(ciphertext, key, leaveOpen);
        }

        /// <summary>
        /// Decrypts the block into <paramref name="destinationPath"/> atomically: the plaintext goes to a
        /// temporary file in the same folder (the owner's only on Unix from its creation; temporary files
        /// that ended writers on this machine left there are removed first), is checked to be one complete
        /// JSON document, and only then replaces the destination (keeping a tighter Unix mode it had). On any failure no file is left at either path (an existing destination
        /// is untouched). Throws <see cref="WeComCryptoException"/> or <see cref="ExportFormatException"/>;
        /// the block must hold the lists of one export kind, whichever it is.
        /// </summary>
        public static Task DecryptToFileAsync(Stream ciphertext, EncodingAesKey key, string destinationPath, CancellationToken ct) =>
            DecryptToFileAsync(ciphertext, key, null, destinationPath, ct);

        /// <summary>
        /// As <see cref="DecryptToFileAsync(Stream, EncodingAesKey, string, CancellationToken)"/>, and the block
        /// must hold the lists of <paramref name="kind"/> (of any one kind when null), else
        /// <see cref="ExportFormatException"/> (<see cref="ExportKindMismatchException"/> for another kind's list).
        /// </summary>
        public static async Task DecryptToFileAsync(Stream ciphertext, EncodingAesKey key, ExportKind? kind, string destinationPath, CancellationToken ct)
        {
            if (ciphertext is null)
            {
                throw new ArgumentNullException(nameof(ciphertext));
            }

            if (key is null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            if (string.IsNullOrEmpty(destinationPath))
            {
                throw new ArgumentException("The destination path is empty.", nameof(destinationPath));
            }

            await WriteAtomicallyAsync(destinationPath, temp => WritePlaintextAsync(ciphertext, key, kind, temp, keepHeld: false, ct)).ConfigureAwait(false);
        }

        /// <summary>
        /// As <see cref="DecryptToFileAsync(Stream, EncodingAesKey, ExportKind?, string, CancellationToken)"/>, but the
        /// decrypted block stays in its temporary file beside <paramref name="destinationPath"/>, whose path is returned:
        /// <see cref="Publish"/> puts it in place later (a receive puts all its blocks in place at the end, or none).
        /// </summary>
        /// <returns>The temporary file, and a handle that holds it from its creation on (see <see cref="OutputFolder.Hold"/>).</returns>
        internal static async Task<(string Temp, FileStream Hold)> DecryptToTempAsync(Stream ciphertext, EncodingAesKey key, ExportKind? kind, string destinationPath, CancellationToken ct)
        {
            FileStream? hold = null;
            string temp = await StageAsync(destinationPath, async path => hold = await WritePlaintextAsync(ciphertext, key, kind, path, keepHeld: true, ct).ConfigureAwait(false)).ConfigureAwait(false);
            return (temp, hold!);
        }

        /// <summary>
        /// Renames a temporary file of <see cref="DecryptToTempAsync"/> into place (keeping a tighter mode of the file it
        /// replaces), while <paramref name="hold"/> still holds it where the platform allows (<see cref="OutputFolder.Publish"/>).
        /// </summary>
        internal static void Publish(string temp, string destinationPath, IDisposable? hold = null)
        {
            string destination = Path.GetFullPath(destinationPath);
            try
            {
                OutputFolder.KeepTighterMode(temp, destination);
                OutputFolder.Publish(temp, destination, hold);
            }
            catch
            {
                hold?.Dispose();
                OutputFolder.TryDelete(temp);
                throw;
            }
        }

        /// <summary>
        /// As <see cref="DecryptToFileAsync(Stream, EncodingAesKey, ExportKind?, string, CancellationToken)"/>, but the
        /// block's records are read from the bytes as they are written (which also checks the JSON and the kind's list)
        /// and <paramref name="reading"/> gets the file's size, SHA-256 and record count: no pass reads the file back.
        /// </summary>
        internal static Task DecryptToFileAsync(Stream ciphertext, EncodingAesKey key, ExportKind kind, string destinationPath, BlockFileReading reading, CancellationToken ct)
        {
            return WriteAtomicallyAsync(destinationPath, temp =>
            {
                WritePlaintextReading(ciphertext, key, kind, temp, reading, ct);
                return Task.CompletedTask;
            });
        }

        /// <summary>
        /// Writes <paramref name="destinationPath"/> through a temporary file beside it (the owner's only) that is renamed
        /// into place only when <paramref name="write"/> completes; on any failure the temporary file is deleted and an
        /// existing destination is left as it was.
        /// </summary>
        private static async Task WriteAtomicallyAsync(string destinationPath, Func<string, Task> write) =>
            Publish(await StageAsync(destinationPath, write).ConfigureAwait(false), destinationPath);

        /// <summary>
        /// Runs <paramref name="write"/> on a new temporary file beside <paramref name="destinationPath"/> (after removing
        /// those an ended writer left there) and returns its path; on any failure the temporary file is deleted.
        /// </summary>
        private static async Task<string> StageAsync(string destinationPath, Func<string, Task> write)
        {
            string destination = Path.GetFullPath(destinationPath);
            OutputFolder.RemoveStaleTemps(Path.GetDirectoryName(destination)!);
            string temp = OutputFolder.TempPathFor(destination);
            try
            {
                await write(temp).ConfigureAwait(false);
                return temp;
            }
            catch
            {
                OutputFolder.TryDelete(temp);
                throw;
            }
        }

        private static void WritePlaintextReading(Stream ciphertext, EncodingAesKey key, ExportKind kind, string path, BlockFileReading reading, CancellationToken ct)
        {
            using var plaintext = new DecryptingReadStream(ciphertext, key, leaveOpen: true);
            using FileStream file = OutputFolder.CreateTemp(path, CopyBufferSize);
            using var hashing = new Sha256PassThrough(file);
            var copying = new CopyingReadStream(plaintext, hashing);
            long records = 0;
            foreach (WeComRecord record in ExportRecordReader.Read(copying, kind, reading.TagId, ct))
            {
                records++;
                reading.OnRecord?.Invoke(record);
            }

            // The reader stops at the end of the document; whatever follows (whitespace) is part of the file too.
            copying.Drain();
            reading.Bytes = hashing.Count;
            reading.Sha256Hex = hashing.Sha256Hex();
            reading.Records = records;

            // On disk before the rename, so a crash cannot leave a renamed but empty file.
            file.Flush(flushToDisk: true);
        }

        /// <summary>Decrypts into <paramref name="path"/>; with <paramref name="keepHeld"/>, returns a handle opened before the writer's closes (else null).</summary>
        private static async Task<FileStream?> WritePlaintextAsync(Stream ciphertext, EncodingAesKey key, ExportKind? kind, string path, bool keepHeld, CancellationToken ct)
        {
            var validator = new JsonDocumentValidator(kind);
            var buffer = new byte[CopyBufferSize];
            using var plaintext = new DecryptingReadStream(ciphertext, key, leaveOpen: true);
            using FileStream file = OutputFolder.CreateTemp(path, CopyBufferSize, keepHeld ? FileShare.Read : FileShare.None);
            int read;
            while ((read = await plaintext.ReadAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false)) > 0)
            {
                validator.Append(buffer, 0, read);
                file.Write(buffer, 0, read);
            }

            validator.Complete();

            // On disk before the rename, so a crash cannot leave a renamed but empty file.
            file.Flush(flushToDisk: true);
            return keepHeld ? OutputFolder.Hold(path) : null;
        }
    }
}

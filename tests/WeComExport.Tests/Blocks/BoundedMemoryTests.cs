using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using WeComExport.Blocks;
using WeComExport.Crypto;
using WeComExport.Export;
using WeComExport.Records;
using Xunit;
using Xunit.Abstractions;

namespace WeComExport.Tests.Blocks
{
    /// <summary>Runs alone: it measures the process's live managed heap, which other tests would disturb.</summary>
    [CollectionDefinition(nameof(BoundedMemoryTests), DisableParallelization = true)]
    public sealed class RunsAloneDefinition
    {
    }

    /// <summary>
    /// A 200 MB block, generated, encrypted, decrypted and parsed on the fly: the live heap must stay
    /// far below the block's size. A memory bound, not a timing, so it cannot flake on a slow machine.
    /// </summary>
    [Collection(nameof(BoundedMemoryTests))]
    public class BoundedMemoryTests
    {
        private const long BlockBytes = 200L * 1024 * 1024;
        private const long AllowedGrowth = 24L * 1024 * 1024;

        private readonly ITestOutputHelper output;

        public BoundedMemoryTests(ITestOutputHelper output)
        {
            this.output = output;
        }

        [Fact]
        public void Reading_a_200_MB_block_keeps_the_live_heap_bounded()
        {
            var generated = new SyntheticUserBlockStream(BlockBytes);
            using Aes aes = WeComCipher.CreateAes(BlockTestData.VectorKey);
#pragma warning disable CA5401 // The protocol fixes the IV.
            using ICryptoTransform encryptor = aes.CreateEncryptor();
#pragma warning restore CA5401
            using var ciphertext = new CryptoStream(new PaddingReadStream(generated), encryptor, CryptoStreamMode.Read);
            using Stream plaintext = BlockDecryption.OpenPlaintext(ciphertext, BlockTestData.VectorKey);

            long baseline = GC.GetTotalMemory(forceFullCollection: true);
            long peak = baseline;
            long count = 0;
            WeComUser? last = null;
            foreach (WeComRecord record in ExportRecordReader.Read(plaintext, ExportKind.User, null, CancellationToken.None))
            {
                last = (WeComUser)record;
                if (++count % 50_000 == 0)
                {
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
                }
            }

            long growth = peak - baseline;
            output.WriteLine($"{count} records, live heap grew by at most {growth / 1024.0 / 1024.0:F1} MB while reading {BlockBytes / 1024 / 1024} MB");
            Assert.Equal(generated.RecordCount, count);
            Assert.Equal("user" + (count - 1), last!.UserId);
            Assert.True(count > 300_000, $"only {count} records in 200 MB");
            Assert.True(growth < AllowedGrowth, $"the live heap grew by {growth} bytes while reading a {BlockBytes}-byte block");
        }
    }
}

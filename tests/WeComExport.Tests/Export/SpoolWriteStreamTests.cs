using System;
using System.IO;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Export;
using Xunit;

namespace WeComExport.Tests.Export
{
    public class SpoolWriteStreamTests
    {
        [Fact]
        public async Task A_local_write_failure_is_its_own_error_and_never_looks_transient()
        {
            using var spool = new SpoolWriteStream(new DiskFullStream(), "/spool/folder");
            var sync = Assert.Throws<WeComException>(() => spool.Write(new byte[4], 0, 4));
            var async = await Assert.ThrowsAsync<WeComException>(() => spool.WriteAsync(new byte[4], 0, 4));
            foreach (WeComException ex in new[] { sync, async })
            {
                Assert.Equal("WeComSpoolWriteFailed", ex.ErrorId);
                Assert.Equal(WeComErrorKind.LocalWrite, ex.Kind);
                Assert.False(RetryPolicy.IsTransient(ex));
                Assert.IsType<IOException>(ex.InnerException);
            }
        }

        [Fact]
        public void The_full_disk_hint_names_the_folder_and_the_variables_this_platform_reads()
        {
            using var spool = new SpoolWriteStream(new DiskFullStream(), "/spool/folder");
            var ex = Assert.Throws<WeComException>(() => spool.Write(new byte[4], 0, 4));
            Assert.Contains("/spool/folder", ex.Message, StringComparison.Ordinal);
            Assert.Contains("WECOM_TEMP_DIRECTORY", ex.Hint, StringComparison.Ordinal);
            if (OperatingSystem.IsWindows())
            {
                Assert.Contains("TMP/TEMP", ex.Hint, StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains("TMPDIR", ex.Hint, StringComparison.Ordinal);
                Assert.DoesNotContain("TMP/TEMP", ex.Hint, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void Writes_reach_the_spool()
        {
            using var target = new MemoryStream();
            using var spool = new SpoolWriteStream(target, "/spool/folder");
            spool.Write(new byte[] { 1, 2, 3 }, 0, 3);
            Assert.Equal(new byte[] { 1, 2, 3 }, target.ToArray());
        }

        private sealed class DiskFullStream : MemoryStream
        {
            public override void Write(byte[] buffer, int offset, int count) => throw new IOException("There is not enough space on the disk.");
        }
    }
}

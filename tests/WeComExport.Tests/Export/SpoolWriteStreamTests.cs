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

        [Fact]
        public async Task A_flush_or_cut_that_fails_is_the_same_local_error_not_a_broken_download()
        {
            // Bytes counted as received but lost in the buffer must not be "resumed" over: that would leave a hole
            // (or a reused spool's older bytes) under a verified MD5.
            using var spool = new SpoolWriteStream(new FlushFailsStream(), "/spool/folder");
            var flush = Assert.Throws<WeComException>(spool.Flush);
            var flushAsync = await Assert.ThrowsAsync<WeComException>(() => spool.FlushAsync());
            var cut = Assert.Throws<WeComException>(() => spool.CutTo(3));
            Assert.All(new[] { flush, flushAsync, cut }, ex => Assert.Equal("WeComSpoolWriteFailed", ex.ErrorId));
        }

        [Fact]
        public void Cutting_leaves_exactly_the_verified_bytes()
        {
            using var target = new MemoryStream(new byte[] { 9, 9, 9, 9, 9, 9 });
            using var spool = new SpoolWriteStream(target, "/spool/folder");
            spool.Write(new byte[] { 1, 2, 3 }, 0, 3);
            spool.CutTo(3);
            Assert.Equal(new byte[] { 1, 2, 3 }, target.ToArray());
        }

        private sealed class DiskFullStream : MemoryStream
        {
            public override void Write(byte[] buffer, int offset, int count) => throw new IOException("There is not enough space on the disk.");
        }

        private sealed class FlushFailsStream : MemoryStream
        {
            public override void Flush() => throw new IOException("There is not enough space on the disk.");
        }
    }
}

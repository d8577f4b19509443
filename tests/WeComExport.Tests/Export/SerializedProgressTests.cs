using System.Collections.Generic;
using WeComExport.Export;
using Xunit;

namespace WeComExport.Tests.Export
{
    /// <summary>Progress from the thread that downloads ahead and from the one that reads never goes back.</summary>
    public class SerializedProgressTests
    {
        [Fact]
        public void A_report_behind_what_was_already_reported_keeps_the_highest_block_and_bytes_and_its_own_records()
        {
            var seen = new List<ReceiveProgress>();
            var progress = new SerializedProgress(seen.Add);

            progress.Invoke(new ReceiveProgress("j", 1, 3, 250, 300, 10));
            progress.Invoke(new ReceiveProgress("j", 0, 3, 100, 300, 40));
            progress.Invoke(new ReceiveProgress("j", 2, 3, 300, 300, 50));

            Assert.Equal(new[] { 1, 1, 2 }, seen.ConvertAll(p => p.BlockIndex));
            Assert.Equal(new long[] { 250, 250, 300 }, seen.ConvertAll(p => p.BytesDownloaded));
            Assert.Equal(new long[] { 10, 40, 50 }, seen.ConvertAll(p => p.Records));
        }

        [Fact]
        public void Without_a_callback_nothing_happens()
        {
            new SerializedProgress(null).Invoke(new ReceiveProgress("j", 0, 1, 1, 1, 1));
        }
    }
}

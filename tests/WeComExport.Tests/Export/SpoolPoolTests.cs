using System;
using System.IO;
using WeComExport.Export;
using Xunit;

namespace WeComExport.Tests.Export
{
    /// <summary>A receive's spool files are reused block after block, at most two kept, and all closed when it ends.</summary>
    public sealed class SpoolPoolTests : IDisposable
    {
        private readonly string folder = Directory.CreateTempSubdirectory("wecom-spool-pool-").FullName;

        public void Dispose() => Directory.Delete(folder, recursive: true);

        [Fact]
        public void A_returned_spool_is_handed_out_again_at_its_start_and_the_pool_keeps_at_most_two()
        {
            using var pool = new SpoolPool(folder);
            FileStream a = pool.Rent();
            FileStream b = pool.Rent();
            FileStream c = pool.Rent();
            a.Write(new byte[100]);
            pool.Return(a);
            pool.Return(b);
            pool.Return(c); // a third idle one is closed, not kept

            Assert.Throws<ObjectDisposedException>(() => c.Position);
            FileStream again = pool.Rent();
            Assert.Same(b, again);
            FileStream first = pool.Rent();
            Assert.Same(a, first);
            Assert.Equal(0, first.Position);
            Assert.Equal(100, first.Length); // older bytes stay until the download cuts the file to its block
            pool.Return(first);
            pool.Return(again);
        }

        [Fact]
        public void Disposing_the_pool_closes_what_it_keeps_and_what_comes_back_later()
        {
            var pool = new SpoolPool(folder);
            FileStream kept = pool.Rent();
            FileStream late = pool.Rent();
            pool.Return(kept);
            pool.Dispose();

            Assert.Throws<ObjectDisposedException>(() => kept.Position);
            pool.Return(late);
            Assert.Throws<ObjectDisposedException>(() => late.Position);
            Assert.Throws<ObjectDisposedException>(() => pool.Rent());
            Assert.Empty(Directory.GetFiles(folder)); // spool files have no name left behind
        }
    }
}

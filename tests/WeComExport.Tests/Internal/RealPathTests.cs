using System;
using System.IO;
using WeComExport.Internal;
using Xunit;

namespace WeComExport.Tests.Internal
{
    /// <summary>Links resolved as realpath(3) does: chains, links in a link's target, '..' after a link, loops.</summary>
    public sealed class RealPathTests : IDisposable
    {
        private readonly string work = Directory.CreateTempSubdirectory("wecom-realpath-").FullName;

        public void Dispose() => Directory.Delete(work, recursive: true);

        [Fact]
        public void A_file_reached_through_links_has_the_path_of_the_file_itself()
        {
            if (OperatingSystem.IsWindows())
            {
                return; // links need a privilege there
            }

            // data/snap/f.json; mnt -> data; latest -> mnt/snap (a link whose target passes through another link).
            string real = Directory.CreateDirectory(Path.Combine(work, "data", "snap")).FullName;
            File.WriteAllText(Path.Combine(real, "f.json"), "{}");
            Directory.CreateSymbolicLink(Path.Combine(work, "mnt"), "data");
            Directory.CreateSymbolicLink(Path.Combine(work, "latest"), "mnt/snap");
            File.CreateSymbolicLink(Path.Combine(work, "fl"), "latest/f.json");

            string expected = Path.Combine(RealPath.Of(work), "data", "snap", "f.json");
            Assert.Equal(expected, RealPath.Of(Path.Combine(work, "latest", "f.json")));
            Assert.Equal(expected, RealPath.Of(Path.Combine(work, "mnt", "snap", "f.json")));
            Assert.Equal(expected, RealPath.Of(Path.Combine(work, "fl")));
        }

        [Fact]
        public void Dot_dot_after_a_link_is_taken_from_where_the_link_leads()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            // deep/a/b and deep/a/snap; sub -> deep/a/b; sub/l2 -> ../snap; l1 -> sub/l2: l1 is deep/a/snap, not work/snap.
            Directory.CreateDirectory(Path.Combine(work, "deep", "a", "b"));
            Directory.CreateDirectory(Path.Combine(work, "deep", "a", "snap"));
            Directory.CreateDirectory(Path.Combine(work, "snap"));
            Directory.CreateSymbolicLink(Path.Combine(work, "sub"), "deep/a/b");
            Directory.CreateSymbolicLink(Path.Combine(work, "deep", "a", "b", "l2"), "../snap");
            Directory.CreateSymbolicLink(Path.Combine(work, "l1"), "sub/l2");

            Assert.Equal(Path.Combine(RealPath.Of(work), "deep", "a", "snap"), RealPath.Of(Path.Combine(work, "l1")));
        }

        [Fact]
        public void A_loop_of_links_ends()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            File.CreateSymbolicLink(Path.Combine(work, "a"), "b");
            File.CreateSymbolicLink(Path.Combine(work, "b"), "a");
            string resolved = RealPath.Of(Path.Combine(work, "a"));
            Assert.StartsWith(RealPath.Of(work), resolved, StringComparison.Ordinal);
            Assert.False(ReadableFile.HasBytes(Path.Combine(work, "a")));
            Assert.Contains("leads to nothing", ReadableFile.Refusal(Path.Combine(work, "a")), StringComparison.Ordinal);

            File.CreateSymbolicLink(Path.Combine(work, "dangling"), "missing.json");
            Assert.False(ReadableFile.HasBytes(Path.Combine(work, "dangling")));
            Assert.Contains("leads to nothing", ReadableFile.Refusal(Path.Combine(work, "dangling")), StringComparison.Ordinal);
        }
    }
}

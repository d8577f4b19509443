using System.Collections.Generic;
using WeComExport.Records;
using Xunit;

namespace WeComExport.Tests.Records
{
    public class WeComListTests
    {
        [Fact]
        public void ToString_joins_numbers_with_semicolons()
        {
            Assert.Equal("1;2", new WeComList<long>(new long[] { 1, 2 }).ToString());
            Assert.Equal("-5", new WeComList<int>(new[] { -5 }).ToString());
        }

        [Fact]
        public void ToString_joins_userids_with_semicolons()
        {
            Assert.Equal("zhangsan;lisi", new WeComList<string>(new[] { "zhangsan", "lisi" }).ToString());
        }

        [Fact]
        public void ToString_ignores_the_current_culture()
        {
            using var culture = new CultureScope("de-DE");
            Assert.Equal("1.5;2", new WeComList<double>(new[] { 1.5, 2 }).ToString());
        }

        [Fact]
        public void The_empty_list_is_shared_and_prints_as_nothing()
        {
            Assert.Same(WeComList<long>.Empty, WeComList<long>.Empty);
            Assert.Empty(WeComList<long>.Empty);
            Assert.Equal(string.Empty, WeComList<string>.Empty.ToString());
        }

        [Fact]
        public void A_list_is_a_copy_that_later_changes_to_its_source_do_not_reach()
        {
            var source = new List<long> { 1, 2 };
            var list = new WeComList<long>(source);
            source[0] = 99;
            source.Add(3);
            Assert.Equal(new long[] { 1, 2 }, list);
            Assert.Equal(2, list.Count);
            Assert.Equal(2, list[1]);
            Assert.IsAssignableFrom<IReadOnlyList<long>>(list);
        }

        private sealed class CultureScope : System.IDisposable
        {
            private readonly System.Globalization.CultureInfo previous = System.Globalization.CultureInfo.CurrentCulture;

            public CultureScope(string name) => System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo(name);

            public void Dispose() => System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}

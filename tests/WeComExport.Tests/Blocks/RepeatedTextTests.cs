using System.Collections.Generic;
using System.Linq;
using System.Text;
using WeComExport.Export;
using WeComExport.Records;
using Xunit;
using static WeComExport.Tests.Blocks.ReaderHarness;

namespace WeComExport.Tests.Blocks
{
    public class RepeatedTextTests
    {
        [Fact]
        public void Repeated_job_titles_and_genders_share_one_string()
        {
            List<WeComUser> users = Read("""{"userlist":[{"position":"后台工程师","gender":"1"},{"position":"后台工程师","gender":"1"}]}""", ExportKind.User)
                .Cast<WeComUser>().ToList();
            Assert.Same(users[0].Position, users[1].Position);
            Assert.Same(users[0].Gender, users[1].Gender);
        }

        [Fact]
        public void Many_distinct_values_colliding_in_the_cache_still_read_exactly()
        {
            var json = new StringBuilder("{\"userlist\":[");
            for (int i = 0; i < 5000; i++)
            {
                json.Append(i == 0 ? "" : ",").Append("{\"position\":\"职位").Append(i % 3000).Append("\",\"gender\":\"").Append(i % 3).Append("\"}");
            }

            json.Append("]}");
            List<WeComUser> users = Read(json.ToString(), ExportKind.User).Cast<WeComUser>().ToList();
            for (int i = 0; i < users.Count; i++)
            {
                Assert.Equal("职位" + (i % 3000), users[i].Position);
                Assert.Equal((i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture), users[i].Gender);
            }
        }
    }
}

using WeComExport.Diagnostics;
using Xunit;

namespace WeComExport.Tests.Api
{
    public class RedactorTests
    {
        [Theory]
        [InlineData("GET https://h/cgi-bin/gettoken?corpid=ww1&corpsecret=abc", "GET https://h/cgi-bin/gettoken?corpid=ww1&corpsecret=***")]
        [InlineData("GET https://h/x?access_token=T0K3N&jobid=j", "GET https://h/x?access_token=***&jobid=j")]
        [InlineData("GET https://dl/downloadobject?fileid=f&authkey=AK&filename=data_0.json", "GET https://dl/downloadobject?fileid=f&authkey=***&filename=data_0.json")]
        [InlineData("{\"encoding_aeskey\":\"KEY\",\"block_size\":10000}", "{\"encoding_aeskey\":\"***\",\"block_size\":10000}")]
        [InlineData("{\"errcode\":0,\"access_token\":\"T\",\"expires_in\":7200}", "{\"errcode\":0,\"access_token\":\"***\",\"expires_in\":7200}")]
        [InlineData("{\"url\":\"https://dl/d?fileid=F\\u0026authkey=AK\\u0026filename=x\"}", "{\"url\":\"https://dl/d?fileid=F\\u0026authkey=***\\u0026filename=x\"}")]
        [InlineData("nothing secret here", "nothing secret here")]
        public void Secrets_in_urls_and_json_are_masked(string input, string expected)
        {
            Assert.Equal(expected, Redactor.Redact(input));
        }
    }
}

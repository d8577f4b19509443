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
        [InlineData("GET http://user:password@127.0.0.1:5000/cgi-bin/x", "GET http://***@127.0.0.1:5000/cgi-bin/x")]
        [InlineData("'https://password@qyapi.weixin.qq.com' is refused", "'https://***@qyapi.weixin.qq.com' is refused")]
        [InlineData("https://h/x?to=a@b.example", "https://h/x?to=a@b.example")]
        [InlineData("mail zhangsan@gzdev.com", "mail zhangsan@gzdev.com")]
        [InlineData("nothing secret here", "nothing secret here")]
        public void Secrets_in_urls_and_json_are_masked(string input, string expected)
        {
            Assert.Equal(expected, Redactor.Redact(input));
        }
    }
}

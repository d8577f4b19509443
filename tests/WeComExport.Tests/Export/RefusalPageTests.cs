using System;
using System.Text;
using WeComExport.Crypto;
using WeComExport.Diagnostics;
using WeComExport.Export;
using Xunit;

namespace WeComExport.Tests.Export
{
    public class RefusalPageTests
    {
        private static readonly Uri Link = new("https://dl.example/downloadobject?fileid=F1&authkey=AK%2Bsecret%2F01&filename=data_0.json");

        private static string? Describe(string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            return RefusalPage.Describe(bytes, bytes.Length, Link);
        }

        [Theory]
        [InlineData("{\"errcode\":-1,\"errmsg\":\"download url expired\"}", "a JSON error (errcode -1: 'download url expired')")]
        [InlineData("\uFEFF  {\"errmsg\":\"x\",\"errcode\":\"E1\"}", "a JSON error (errcode E1: 'x')")]
        [InlineData("{\"errcode\":40007}", "a JSON error (errcode 40007)")]
        [InlineData("<html><body>Forbidden</body></html>", "an HTML page")]
        [InlineData("\r\n<!doctype html><title>  403 &amp; gone </title>", "an HTML page titled '403 & gone'")]
        [InlineData("<HTML><HEAD><TITLE>Error</TITLE>", "an HTML page titled 'Error'")]
        public void A_page_is_described(string page, string expected)
        {
            Assert.Equal(expected, Describe(page));
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("{\"userlist\":[]}")] // JSON, but no errcode: not an error page
        [InlineData("{\"errcode\":1")] // not JSON
        [InlineData("[{\"errcode\":1}]")]
        [InlineData("<x>not a page</x>")]
        [InlineData("QUJDRA==")] // Base64 text, as a sister product serves blocks
        public void Anything_else_is_not_a_page(string text)
        {
            Assert.Null(Describe(text));
        }

        [Fact]
        public void Ciphertext_is_never_taken_for_a_page()
        {
            var key = EncodingAesKey.Parse("IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2");
            for (int i = 0; i < 2000; i++)
            {
                byte[] cipher = WeComCipher.Encrypt(key, Encoding.UTF8.GetBytes("{\"userlist\":[{\"userid\":\"u" + i + "\"}]}"));
                // Those that start like a page's first character are the ones the rule has to tell apart.
                cipher[0] = (byte)(i % 2 == 0 ? '<' : '{');
                Assert.Null(RefusalPage.Describe(cipher, cipher.Length, Link));
            }
        }

        [Theory]
        [InlineData("{\"errcode\":1,\"errmsg\":\"bad authkey AK+secret/01\"}")]
        [InlineData("{\"errcode\":1,\"errmsg\":\"bad authkey AK%2Bsecret%2F01\"}")]
        [InlineData("{\"errcode\":1,\"errmsg\":\"bad authkey AK%2bsecret%2f01\"}")]
        [InlineData("<html><title>authkey: AK+secret/01</title>")]
        [InlineData("{\"errcode\":1,\"errmsg\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx authkey AK+secret/01\"}")] // where the cut to a line falls inside the key
        public void The_link_s_authkey_is_masked_wherever_the_page_echoes_it(string page)
        {
            string said = Describe(page)!;
            Assert.Contains(Redactor.Mask, said);
            Assert.DoesNotContain("secret", said);
            // What is not secret stays readable.
            Assert.Contains("authkey", said);
        }

        [Fact]
        public void What_a_page_says_is_cut_to_a_line()
        {
            string said = Describe("{\"errcode\":1,\"errmsg\":\"" + new string('x', 1000) + "\"}")!;
            Assert.True(said.Length < 220, said);
            Assert.EndsWith("…')", said);
        }
    }
}

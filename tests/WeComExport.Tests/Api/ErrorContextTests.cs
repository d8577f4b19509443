using System;
using WeComExport.Api;
using Xunit;

namespace WeComExport.Tests.Api
{
    public class ErrorContextTests
    {
        [Fact]
        public void The_context_goes_before_the_message_once_and_never_where_the_message_already_names_it()
        {
            var plain = new InvalidOperationException("The JSON of export block 0 is not as expected.");
            WeComErrorContext.Add(plain, "the taguser-7 export");
            WeComErrorContext.Add(plain, "the user export");
            Assert.Equal("In the taguser-7 export: The JSON of export block 0 is not as expected.", WeComErrorContext.MessageOf(plain));
            Assert.Equal("The JSON of export block 0 is not as expected.", plain.Message);

            var named = new InvalidOperationException("The department export (job j) is done, but WeCom listed no block for it.");
            WeComErrorContext.Add(named, "the department export");
            Assert.Same(named.Message, WeComErrorContext.MessageOf(named));
            Assert.True(WeComErrorContext.Has(plain));
            Assert.False(WeComErrorContext.Has(named));
        }
    }
}

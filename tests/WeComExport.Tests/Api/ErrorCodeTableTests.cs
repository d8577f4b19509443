using System;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;
using WeComExport.Crypto;
using WeComExport.Export;
using Xunit;

namespace WeComExport.Tests.Api
{
    /// <summary>The errcode table's permission entries: kind, no retry, and hints that lead somewhere that works.</summary>
    public class ErrorCodeTableTests
    {
        [Theory]
        [InlineData(WeComErrorCodes.ApiNotPermitted, new[] { "self-built app", "contacts", "visible range" }, new[] { "contacts-sync", "通讯录同步" })]
        [InlineData(WeComErrorCodes.ApiForbiddenForContactAssistant, new[] { "通讯录同步", "contacts-sync", "self-built app", "visible range", "tag" }, new string[0])]
        [InlineData(WeComErrorCodes.IpNotAllowed, new[] { "trusted IP", "first" }, new string[0])]
        public void Permission_errcodes_fail_at_once_with_a_useful_hint(int code, string[] says, string[] doesNotSay)
        {
            WeComErrorInfo info = WeComErrorCodes.Describe(code);
            Assert.Equal(code, info.Code);
            Assert.Equal(WeComErrorKind.PermissionDenied, info.Kind);
            Assert.Equal(WeComRecovery.None, info.Recovery);
            Assert.DoesNotContain("devtool/query", info.Hint, StringComparison.Ordinal);
            Assert.All(says, s => Assert.Contains(s, info.Hint, StringComparison.OrdinalIgnoreCase));
            Assert.All(doesNotSay, s => Assert.DoesNotContain(s, info.Hint, StringComparison.OrdinalIgnoreCase));
        }

        [Fact]
        public async Task An_export_start_refused_for_the_contacts_sync_secret_is_not_retried()
        {
            var handler = new ScriptedHandler((r, _) => r.RequestUri!.AbsolutePath.EndsWith("/gettoken", StringComparison.Ordinal)
                ? ScriptedHandler.Token()
                : ScriptedHandler.Error(48009, "api forbidden for contact assistant"));
            using WeComSession session = await handler.ConnectAsync("s3cr3t");
            var ex = await Assert.ThrowsAsync<WeComApiException>(() => ExportOperations.StartAsync(session, ExportKind.User, EncodingAesKey.Generate(), null, null, CancellationToken.None));
            Assert.Equal("WeCom.48009", ex.ErrorId);
            Assert.Equal(WeComErrorKind.PermissionDenied, ex.Kind);
            Assert.Contains("self-built app", ex.Hint, StringComparison.Ordinal);
            Assert.Equal(1, handler.CountOf("export/user"));
        }
    }
}

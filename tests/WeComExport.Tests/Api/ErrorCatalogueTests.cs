using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using WeComExport.Api;
using Xunit;

namespace WeComExport.Tests.Api
{
    /// <summary>
    /// Every ErrorId comes from the one catalogue: exceptions can only be made from a catalogue entry,
    /// cmdlets build error records in one place, and the about topic lists every id.
    /// </summary>
    public class ErrorCatalogueTests
    {
        [Fact]
        public void Ids_are_unique_and_each_says_what_to_do()
        {
            var all = WeComErrors.All;
            Assert.True(all.Count > 30);
            Assert.Equal(all.Count, all.Select(e => e.ErrorId).Distinct(StringComparer.Ordinal).Count());
            Assert.All(all, e => Assert.False(string.IsNullOrWhiteSpace(e.RecommendedAction), e.ErrorId));
            Assert.All(all, e => Assert.Matches(@"^WeCom(\.-?\d+|[A-Z][A-Za-z0-9]+)$", e.ErrorId));
        }

        [Fact]
        public void Find_knows_every_entry_and_the_errcode_family_but_nothing_else()
        {
            Assert.All(WeComErrors.All, e => Assert.Equal(e.Kind, WeComErrors.Find(e.ErrorId)!.Kind));
            Assert.Equal(WeComErrorKind.OperationFailed, WeComErrors.Find("WeCom.81013")!.Kind);
            Assert.Null(WeComErrors.Find("WeComNoSuchId"));
        }

        [Fact]
        public void The_retry_policy_follows_each_entry_s_recovery()
        {
            foreach (WeComErrorDefinition entry in WeComErrors.All.Where(e => e.ErrorId != WeComErrors.HttpError.ErrorId))
            {
                bool transient = RetryPolicy.IsTransient(new WeComException(entry, "test"));
                Assert.True(transient == (entry.Recovery == WeComRecovery.RetryWithBackoff), entry.ErrorId);
            }

            Assert.True(RetryPolicy.IsTransient(new WeComApiException("export/user", WeComErrorCodes.SystemBusy, "busy")));
            Assert.False(RetryPolicy.IsTransient(new WeComApiException("export/user", WeComErrorCodes.ApiForbiddenForContactAssistant, "forbidden")));
            Assert.True(RetryPolicy.IsTransient(new WeComHttpException("x", System.Net.HttpStatusCode.BadGateway)));
            Assert.False(RetryPolicy.IsTransient(new WeComHttpException("x", System.Net.HttpStatusCode.BadRequest)));
        }

        [Fact]
        public void The_engine_s_messages_never_name_a_cmdlet_or_a_parameter()
        {
            // Only the catalogue's recommended actions (WeComErrors, and the errcode table it lists) say what to type.
            string core = Path.Combine(RepositoryRoot(), "src", "WeComExport.Core");
            var offenders = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Where(f => Path.GetFileName(f) is not ("WeComErrors.cs" or "WeComErrorCodes.cs"))
                .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line.Trim())))
                .Where(l => !l.Text.StartsWith("//", StringComparison.Ordinal))
                .Where(l => Regex.IsMatch(l.Text, @"""[^""]*(\s|\()-[A-Z][a-z]+[A-Za-z]*[^""]*""|""[^""]*(Connect|Disconnect|Start|Wait|Receive|Get|ConvertFrom|New|Import|Compare|Export)-WeCom"))
                .Select(l => $"{l.File}:{l.Line}: {l.Text}")
                .ToList();
            Assert.Empty(offenders);
        }

        [Fact]
        public void No_exception_of_the_engine_can_be_made_with_an_id_outside_the_catalogue()
        {
            var exceptionTypes = typeof(WeComException).Assembly.GetTypes().Where(t => typeof(WeComException).IsAssignableFrom(t));
            foreach (Type type in exceptionTypes)
            {
                foreach (ConstructorInfo ctor in type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
                {
                    Assert.DoesNotContain(ctor.GetParameters(), p => p.ParameterType == typeof(string) && p.Name == "errorId");
                }
            }
        }

        [Fact]
        public void Cmdlets_build_error_records_only_through_ErrorRecords()
        {
            string cmdlets = Path.Combine(RepositoryRoot(), "src", "WeComExport");
            var offenders = Directory.EnumerateFiles(cmdlets, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Where(f => Path.GetFileName(f) != "ErrorRecords.cs")
                .Where(f => Regex.IsMatch(File.ReadAllText(f), @"new\s+ErrorRecord\s*\("))
                .ToList();
            Assert.Empty(offenders);
        }

        [Fact]
        public void The_about_topic_lists_every_ErrorId()
        {
            string about = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "WeComExport", "en-US", "about_WeComExport.help.txt"));
            var missing = WeComErrors.All.Select(e => e.ErrorId).Where(id => !Regex.IsMatch(about, $@"(?<![\w.-]){Regex.Escape(id)}(?![\w])")).ToList();
            Assert.Empty(missing);
        }

        private static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "WeComExport.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("The repository root (WeComExport.sln) is not above " + AppContext.BaseDirectory);
        }
    }
}

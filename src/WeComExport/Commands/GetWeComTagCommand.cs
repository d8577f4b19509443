using System;
using System.Collections.Generic;
using System.Management.Automation;
using WeComExport.Api;
using WeComExport.Commands.Completion;
using WeComExport.Tags;

namespace WeComExport.Commands
{
    /// <summary>Get-WeComTag: the tags the app can read (tag/list), optionally filtered by name with wildcards.</summary>
    [Cmdlet(VerbsCommon.Get, "WeComTag")]
    [OutputType(typeof(WeComTag))]
    public sealed class GetWeComTagCommand : WeComSessionCmdlet
    {
        /// <summary>Tag names to return; wildcards allowed. All tags when omitted.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(TagNameCompleter))]
        [ValidateNotNullOrEmpty]
#pragma warning disable CA1819 // PowerShell binds arrays for repeated values.
        public string[]? Name { get; set; }
#pragma warning restore CA1819

        protected override void EndProcessing()
        {
            WeComSession session = ResolveSession();
            IReadOnlyList<WeComTag> tags;
            try
            {
                tags = RunEngine(ct => TagOperations.ListAsync(session, ct));
            }
            catch (EngineCallException ex)
            {
                WriteEngineError(ex, session);
                return;
            }

            var patterns = new List<(string Name, WildcardPattern Pattern, bool Matched)>();
            foreach (string name in Name ?? Array.Empty<string>())
            {
                patterns.Add((name, WildcardPattern.Get(name, WildcardOptions.IgnoreCase), false));
            }

            foreach (WeComTag tag in tags)
            {
                bool wanted = patterns.Count == 0;
                for (int i = 0; i < patterns.Count; i++)
                {
                    if (patterns[i].Pattern.IsMatch(tag.TagName))
                    {
                        patterns[i] = (patterns[i].Name, patterns[i].Pattern, true);
                        wanted = true;
                    }
                }

                if (wanted)
                {
                    WriteObject(tag);
                }
            }

            // As Get-Process -Name: an exact name that matches nothing is an error, a wildcard that matches nothing is not.
            foreach ((string name, _, bool matched) in patterns)
            {
                if (!matched && !WildcardPattern.ContainsWildcardCharacters(name))
                {
                    WriteError(ErrorRecords.Create(
                        new ItemNotFoundException($"The app can read no tag named '{name}' in corp {session.CorpId}."),
                        WeComErrors.TagNotFound,
                        name));
                }
            }
        }
    }
}

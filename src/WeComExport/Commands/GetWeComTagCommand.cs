using System;
using System.Collections.Generic;
using System.Management.Automation;
using WeComExport.Api;
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

            var patterns = new List<WildcardPattern>();
            foreach (string name in Name ?? Array.Empty<string>())
            {
                patterns.Add(WildcardPattern.Get(name, WildcardOptions.IgnoreCase));
            }

            foreach (WeComTag tag in tags)
            {
                if (patterns.Count == 0 || patterns.Exists(p => p.IsMatch(tag.TagName)))
                {
                    WriteObject(tag);
                }
            }
        }
    }
}

using System.Collections.Generic;
using System.Management.Automation;
using WeComExport.Api;
using WeComExport.Commands.Completion;
using WeComExport.Export;
using WeComExport.Tags;

namespace WeComExport.Commands
{
    /// <summary>Start-WeComTagUserExport: one export job per tag id (from the parameter or the pipeline).</summary>
    [Cmdlet(VerbsLifecycle.Start, "WeComTagUserExport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(WeComExportJob))]
    public sealed class StartWeComTagUserExportCommand : StartExportCommandBase
    {
        /// <summary>The tag ids whose members and departments to export.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        [Alias("TagIds")]
        [ArgumentCompleter(typeof(TagIdCompleter))]
#pragma warning disable CA1819 // PowerShell binds arrays, not collections, for repeated values.
        public long[] TagId { get; set; } = System.Array.Empty<long>();
#pragma warning restore CA1819

        /// <summary>
        /// The name of a piped tag (a WeComTag from Get-WeComTag binds it by property name), so its -WhatIf
        /// text names it without a tag/list call. Hidden: it only words messages, and only from the pipeline; a name
        /// typed with -TagName is not trusted (the text then looks the tag up).
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [AllowNull]
        [AllowEmptyString]
        public string? TagName { get; set; }

        // Tag names from one tag/list call, made only when a -WhatIf/-Confirm text needs one; reused for every later tag of this command.
        private Dictionary<long, string>? tagNames;
        private WeComSession? tagNamesSession;

        // -TagName typed on the command line (bound before BeginProcessing, unlike a piped tag's): not trusted.
        private bool tagNameTyped;

        protected override void BeginProcessing()
        {
            tagNameTyped = MyInvocation.BoundParameters.ContainsKey(nameof(TagName));
            base.BeginProcessing();
        }

        protected override string DescribeJob(WeComSession session, ExportKind kind, long? tagId)
        {
            string text = base.DescribeJob(session, kind, tagId);
            if (tagId is not long id)
            {
                return text;
            }

            string? name = TagId.Length == 1 && !tagNameTyped && !string.IsNullOrEmpty(TagName)
                ? TagName
                : ShouldProcessShowsText() ? LookUpTagName(session, id) : null;
            return string.IsNullOrEmpty(name) ? text : $"{text} ({name})";
        }

        /// <summary>The tag's name from tag/list, or null when the tag is not listed or the call fails (the text then names the id alone).</summary>
        private string? LookUpTagName(WeComSession session, long tagId)
        {
            if (tagNames is null || !ReferenceEquals(tagNamesSession, session))
            {
                tagNames = new Dictionary<long, string>();
                tagNamesSession = session;
                try
                {
                    foreach (WeComTag tag in RunEngine(ct => TagOperations.ListAsync(session, ct)))
                    {
                        tagNames[tag.TagId] = tag.TagName;
                    }
                }
                catch (EngineCallException ex)
                {
                    WriteVerbose($"Could not read the tag names for the -WhatIf/-Confirm text, so tags are named by id only: {ex.Message}");
                }
            }

            return tagNames.TryGetValue(tagId, out string? name) ? name : null;
        }

        protected override void ProcessRecord()
        {
            foreach (long tagId in TagId)
            {
                StartJob(ExportKind.TagUser, tagId);
            }
        }
    }
}

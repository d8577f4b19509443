using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using WeComExport.Api;
using WeComExport.Export;
using WeComExport.Tags;

namespace WeComExport.Commands.Completion
{
    /// <summary>-TagId: the ids of the tags the session's app can read (tag/list), each shown with its name.</summary>
    public sealed class TagIdCompleter : CompleterBase
    {
        protected override IEnumerable<CompletionResult> Complete(string word, CommandAst? commandAst, IDictionary? fakeBoundParameters)
        {
            foreach (WeComTag tag in TagLookup.ForCommandLine(commandAst, fakeBoundParameters))
            {
                string id = tag.TagId.ToString(CultureInfo.InvariantCulture);
                if (Matches(id, word) || Matches(tag.TagName, word))
                {
                    string name = string.IsNullOrEmpty(tag.TagName) ? id : tag.TagName;
                    yield return new CompletionResult(id, id + " " + tag.TagName, CompletionResultType.ParameterValue, name);
                }
            }
        }
    }

    /// <summary>Get-WeComTag -Name: the names of the tags the session's app can read, quoted and wildcard-escaped as needed.</summary>
    public sealed class TagNameCompleter : CompleterBase
    {
        protected override IEnumerable<CompletionResult> Complete(string word, CommandAst? commandAst, IDictionary? fakeBoundParameters)
        {
            foreach (WeComTag tag in TagLookup.ForCommandLine(commandAst, fakeBoundParameters))
            {
                if (tag.TagName.Length > 0 && Matches(tag.TagName, word))
                {
                    string toolTip = string.Format(CultureInfo.InvariantCulture, "{0} (tag {1})", tag.TagName, tag.TagId);
                    yield return new CompletionResult(Quote(WildcardPattern.Escape(tag.TagName)), tag.TagName, CompletionResultType.ParameterValue, toolTip);
                }
            }
        }
    }

    /// <summary>
    /// -JobId: the jobs Start-WeCom*Export started in this runspace (the last 50), newest first, of the corp of the
    /// session the command will use (the -Session on the line, else the current one): a job id typed by hand is asked
    /// of that session, and another corp's is "invalid jobid" to it. With no session at all, every job.
    /// </summary>
    public sealed class JobIdCompleter : CompleterBase
    {
        protected override IEnumerable<CompletionResult> Complete(string word, CommandAst? commandAst, IDictionary? fakeBoundParameters)
        {
            bool given = CompletionSession.IsGiven(commandAst, fakeBoundParameters);
            string? corpId = CompletionSession.Resolve(commandAst, fakeBoundParameters)?.CorpId;
            if (given && corpId is null)
            {
                yield break;
            }

            foreach (WeComExportJob job in RecentJobs.List())
            {
                if (Matches(job.JobId, word) && (corpId is null || string.Equals(job.CorpId, corpId, StringComparison.Ordinal)))
                {
                    string kind = job.Kind is ExportKind.TagUser ? $"TagUser (tag {job.TagId})" : job.Kind?.ToString() ?? "Export";
                    string toolTip = string.Format(CultureInfo.CurrentCulture, "{0}, started at {1:yyyy-MM-dd HH:mm:ss}", kind, job.SubmittedAt);
                    yield return new CompletionResult(Quote(job.JobId), job.JobId, CompletionResultType.ParameterValue, toolTip);
                }
            }
        }
    }

    /// <summary>
    /// -Session: the connected sessions of this process, completed as <c>(Get-WeComSession -Id N)</c>, an
    /// expression that gives the session object back. Matches the id, the CorpID or the expression itself.
    /// </summary>
    public sealed class SessionCompleter : CompleterBase
    {
        protected override IEnumerable<CompletionResult> Complete(string word, CommandAst? commandAst, IDictionary? fakeBoundParameters)
        {
            foreach (WeComSession session in ConnectedSessions.List())
            {
                string id = session.Id.ToString(CultureInfo.InvariantCulture);
                string text = "(Get-WeComSession -Id " + id + ")";
                if (Matches(id, word) || Matches(session.CorpId, word) || Matches(text, word))
                {
                    yield return new CompletionResult(text, id + " " + session.CorpId, CompletionResultType.ParameterValue, session.ToString());
                }
            }
        }
    }

    /// <summary>Get-WeComSession -Id: the ids of the connected sessions of this process, each shown with its CorpID.</summary>
    public sealed class SessionIdCompleter : CompleterBase
    {
        protected override IEnumerable<CompletionResult> Complete(string word, CommandAst? commandAst, IDictionary? fakeBoundParameters)
        {
            foreach (WeComSession session in ConnectedSessions.List())
            {
                string id = session.Id.ToString(CultureInfo.InvariantCulture);
                if (Matches(id, word) || Matches(session.CorpId, word))
                {
                    yield return new CompletionResult(id, id + " " + session.CorpId, CompletionResultType.ParameterValue, session.ToString());
                }
            }
        }
    }
}

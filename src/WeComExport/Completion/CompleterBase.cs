using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace WeComExport.Commands.Completion
{
    /// <summary>
    /// What the module's argument completers share: they never throw (a failed lookup completes nothing)
    /// and match what was typed as a case-insensitive prefix.
    /// </summary>
    public abstract class CompleterBase : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                return Complete(Unquote(wordToComplete), commandAst, fakeBoundParameters).ToList();
            }
#pragma warning disable CA1031 // Completion must never throw into the user's tab key: any failure completes nothing.
            catch (Exception)
#pragma warning restore CA1031
            {
                return Array.Empty<CompletionResult>();
            }
        }

        /// <summary>The candidates for <paramref name="word"/> (already stripped of an opening or closing quote).</summary>
        protected abstract IEnumerable<CompletionResult> Complete(string word, CommandAst? commandAst, IDictionary? fakeBoundParameters);

        protected static bool Matches(string candidate, string word) =>
            candidate.StartsWith(word, StringComparison.OrdinalIgnoreCase);

        /// <summary>The text as one command argument: bare when it is plain, else single-quoted.</summary>
        protected static string Quote(string text)
        {
            bool plain = text.Length > 0 && text[0] != '-' && text.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.');
            return plain ? text : "'" + CodeGeneration.EscapeSingleQuotedStringContent(text) + "'";
        }

        private static string Unquote(string? word)
        {
            string text = word ?? string.Empty;
            return text.Trim('\'', '"', '\u2018', '\u2019', '\u201C', '\u201D');
        }
    }
}

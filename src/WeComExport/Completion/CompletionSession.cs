using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using WeComExport.Api;

namespace WeComExport.Commands.Completion
{
    /// <summary>
    /// The session a command line will use, for completers that look values up: the -Session on the line,
    /// else the current session. A -Session whose value cannot be known while typing resolves to none,
    /// so completion never offers another corp's values.
    /// </summary>
    internal static class CompletionSession
    {
        private const string SessionParameter = "Session";

        public static WeComSession? Resolve(CommandAst? commandAst, IDictionary? fakeBoundParameters)
        {
            WeComSession? session;
            if (fakeBoundParameters is not null && fakeBoundParameters.Contains(SessionParameter))
            {
                object? value = fakeBoundParameters[SessionParameter];
                session = (value is PSObject wrapped ? wrapped.BaseObject : value) as WeComSession;
            }
            else if (SessionArgument(commandAst, out ExpressionAst? argument))
            {
                // PowerShell evaluates only "safe" arguments for completers (variables, constants), not the
                // (Get-WeComSession -Id N) the -Session completer writes: read that one from the syntax tree.
                session = argument is null ? null : FromGetSessionById(argument);
            }
            else
            {
                session = CurrentSession.Get();
            }

            return session is { IsDisconnected: false } ? session : null;
        }

        /// <summary>True when the command line names a -Session (whether or not its value can be known while typing).</summary>
        public static bool IsGiven(CommandAst? commandAst, IDictionary? fakeBoundParameters) =>
            (fakeBoundParameters is not null && fakeBoundParameters.Contains(SessionParameter)) || SessionArgument(commandAst, out _);

        private static bool SessionArgument(CommandAst? commandAst, out ExpressionAst? argument)
        {
            argument = null;
            if (commandAst is null)
            {
                return false;
            }

            var elements = commandAst.CommandElements;
            for (int i = 1; i < elements.Count; i++)
            {
                if (elements[i] is CommandParameterAst parameter
                    && parameter.ParameterName.Length >= 4
                    && SessionParameter.StartsWith(parameter.ParameterName, StringComparison.OrdinalIgnoreCase))
                {
                    argument = parameter.Argument ?? (i + 1 < elements.Count ? elements[i + 1] as ExpressionAst : null);
                    return true;
                }
            }

            return false;
        }

        private static WeComSession? FromGetSessionById(ExpressionAst argument)
        {
            if (argument is not ParenExpressionAst { Pipeline: PipelineAst { PipelineElements.Count: 1 } pipeline }
                || pipeline.PipelineElements[0] is not CommandAst command
                || !string.Equals(command.GetCommandName(), "Get-WeComSession", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var elements = command.CommandElements;
            for (int i = 1; i < elements.Count; i++)
            {
                if (elements[i] is CommandParameterAst parameter && string.Equals(parameter.ParameterName, "Id", StringComparison.OrdinalIgnoreCase))
                {
                    Ast? value = parameter.Argument ?? (i + 1 < elements.Count ? elements[i + 1] : null);
                    string? text = (value as ConstantExpressionAst)?.Value?.ToString();
                    return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int id) ? ConnectedSessions.Find(id) : null;
                }
            }

            return null;
        }
    }
}

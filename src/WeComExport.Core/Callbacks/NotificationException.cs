using System;
using WeComExport.Api;

namespace WeComExport.Callbacks
{
    /// <summary>Why a callback input was refused before or after the crypto; the crypto's own failures are <see cref="CallbackCryptoException"/>.</summary>
    public enum NotificationProblem
    {
        /// <summary>The input is longer than <see cref="CallbackLimits.MaxInputLength"/>.</summary>
        TooLarge,

        /// <summary>An encrypted envelope arrived without the parameters needed to verify and decrypt it.</summary>
        EncryptedWithoutKey,

        /// <summary>The event is not batch_job_result and other events were not asked for.</summary>
        NotBatchJobResult,

        /// <summary>A batch_job_result whose JobId is not a job id (<see cref="Export.ExportLimits.JobIdPattern"/>): not WeCom's, or altered.</summary>
        InvalidJobId,
    }

    /// <summary>A callback input was refused for a reason that is not one of WeCom's reference crypto error codes.</summary>
    public class NotificationException : WeComException
    {
        public NotificationException()
        {
        }

        public NotificationException(string message)
            : base(message)
        {
        }

        public NotificationException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        public NotificationException(NotificationProblem problem, string message)
            : base(DefinitionOf(problem), message)
        {
            Problem = problem;
        }

        public NotificationProblem Problem { get; }

        private static WeComErrorDefinition DefinitionOf(NotificationProblem problem) => problem switch
        {
            NotificationProblem.TooLarge => WeComErrors.NotificationTooLarge,
            NotificationProblem.EncryptedWithoutKey => WeComErrors.NotificationEncrypted,
            NotificationProblem.InvalidJobId => WeComErrors.NotificationInvalidJobId,
            _ => WeComErrors.NotificationNotBatchJobResult,
        };
    }
}

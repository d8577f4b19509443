namespace WeComExport.Callbacks
{
    /// <summary>
    /// Input limits for callback bodies, echo strings and decrypted events. A batch_job_result
    /// event is under 1 KB and its envelope under 2 KB, so 64 K characters leaves wide room while
    /// bounding the work an unauthenticated sender can cause.
    /// </summary>
    public static class CallbackLimits
    {
        /// <summary>The most characters accepted in one callback body, echostr or decrypted message.</summary>
        public const int MaxInputLength = 64 * 1024;

        internal static void CheckLength(string? text, string what)
        {
            if (text is not null && text.Length > MaxInputLength)
            {
                throw new NotificationException(
                    NotificationProblem.TooLarge,
                    $"The {what} is {text.Length} characters long, over the limit of {MaxInputLength}: WeCom's callbacks are a few hundred bytes, so this is not one.");
            }
        }
    }
}

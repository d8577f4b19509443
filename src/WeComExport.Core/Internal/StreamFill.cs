using System.IO;

namespace WeComExport.Internal
{
    /// <summary>Reads into a buffer until it holds what was asked or the stream ends: one Read may return less.</summary>
    internal static class StreamFill
    {
        /// <summary>Reads up to <paramref name="count"/> bytes into the start of <paramref name="buffer"/>; returns how many came (fewer only at the stream's end).</summary>
        public static int Fill(Stream stream, byte[] buffer, int count)
        {
            int filled = 0;
            int read;
            while (filled < count && (read = stream.Read(buffer, filled, count - filled)) > 0)
            {
                filled += read;
            }

            return filled;
        }
    }
}

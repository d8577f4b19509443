using System.IO;

namespace WeComExport.Internal
{
    /// <summary>Reads a pass-through stream to its end, so what it does to each byte (hash, copy) covers all of them.</summary>
    internal static class StreamDrain
    {
        private const int BufferSize = 81920;

        public static void ReadToEnd(Stream stream)
        {
            var buffer = new byte[BufferSize];
            while (stream.Read(buffer, 0, buffer.Length) > 0)
            {
            }
        }
    }
}

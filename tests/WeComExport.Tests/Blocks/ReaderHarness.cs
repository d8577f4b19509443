using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using WeComExport.Blocks;
using WeComExport.Export;
using WeComExport.Records;

namespace WeComExport.Tests.Blocks
{
    /// <summary>Runs the record reader over JSON text with chosen window sizes and source read sizes.</summary>
    internal static class ReaderHarness
    {
        public static List<WeComRecord> Read(string json, ExportKind kind, long? tagId = null) =>
            ExportRecordReader.Read(new MemoryStream(BlockTestData.Utf8(json)), kind, tagId, CancellationToken.None).ToList();

        /// <summary>Reads through the internal parser with a tiny starting window, fed a few bytes per Read.</summary>
        public static List<WeComRecord> ReadChunked(byte[] json, ExportKind kind, int bufferSize, int maxRead, long? tagId = null)
        {
            var parser = new ExportBlockParser(new TrickleStream(json, maxRead), kind, tagId, bufferSize);
            var records = new List<WeComRecord>();
            while (parser.Next() is WeComRecord record)
            {
                records.Add(record);
            }

            return records;
        }

        /// <summary>Every public property as JSON: two records with the same dump hold the same data.</summary>
        public static string Dump(WeComRecord record) => JsonSerializer.Serialize(record, record.GetType());

        public static List<string> Dump(IEnumerable<WeComRecord> records) => records.Select(Dump).ToList();
    }
}

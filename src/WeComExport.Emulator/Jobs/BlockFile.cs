namespace WeComExport.Emulator.Jobs
{
    /// <summary>One encrypted block on disk, as get_result describes it.</summary>
    internal sealed class BlockFile
    {
        public BlockFile(ExportJob job, int index, string path, long size, string md5, string fileId)
        {
            Job = job;
            Index = index;
            Path = path;
            Size = size;
            Md5 = md5;
            FileId = fileId;
        }

        public ExportJob Job { get; }

        public int Index { get; }

        public string Path { get; }

        public long Size { get; }

        public string Md5 { get; }

        public string FileId { get; }

        public string FileName => "data_" + Index.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".json";
    }
}

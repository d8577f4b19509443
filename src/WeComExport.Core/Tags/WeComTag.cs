namespace WeComExport.Tags
{
    /// <summary>A tag from tag/list; its TagId binds to Start-WeComTagUserExport by property name.</summary>
    public sealed class WeComTag
    {
        public WeComTag(long tagId, string tagName)
        {
            TagId = tagId;
            TagName = tagName;
        }

        public long TagId { get; }

        public string TagName { get; }

        public override string ToString() => $"{TagId} {TagName}";
    }
}

namespace WeComExport.Records
{
    /// <summary>Whether a tag member came from the tag's userlist or its partylist.</summary>
    public enum WeComTagMemberType
    {
        User,
        Department,
    }
}

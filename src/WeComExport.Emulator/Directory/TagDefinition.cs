namespace WeComExport.Emulator.Directory
{
    /// <summary>A tag of the synthetic directory and how densely it holds members (per mille) and departments (per cent).</summary>
    internal sealed class TagDefinition
    {
        public static readonly TagDefinition[] Defaults =
        {
            new(1, "乒乓球协会", 50, 10),
            new(2, "Managers", 100, 5),
            new(3, "新员工", 20, 0),
            new(4, "全员通知", 500, 20),
            new(5, "Quote\"Tag\\ 😀 <&>", 30, 10),
            new(6, "空标签", 0, 0),
        };

        public TagDefinition(int id, string name, int memberPermille, int partyPercent)
        {
            Id = id;
            Name = name;
            MemberPermille = memberPermille;
            PartyPercent = partyPercent;
        }

        public int Id { get; }

        public string Name { get; }

        public int MemberPermille { get; }

        public int PartyPercent { get; }
    }
}

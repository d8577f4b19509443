using System.Text.Json;
using WeComExport.Export;

namespace WeComExport.Blocks
{
    /// <summary>The root properties that tell one export kind's block from another's.</summary>
    internal enum RootName
    {
        Other,
        UserList,
        Department,
        PartyList,
        TagName,
    }

    /// <summary>
    /// The one rule of what a block's root must hold, shared by the record parser and the file
    /// validator: member blocks a "userlist" array, department blocks a "department" array, tag blocks
    /// a "tagname" and a "userlist" and/or "partylist" array. An empty array is fine; a list that is
    /// absent, null or not an array, or a list of another kind, is an error, so a block read as the
    /// wrong kind (or an answer that is not a block at all) can never pass as an empty one.
    /// With no kind given, the kind is told from the lists the block holds.
    /// </summary>
    internal sealed class BlockShape
    {
        private readonly ExportKind? kind;
        private bool userList;
        private bool department;
        private bool partyList;
        private bool tagName;

        public BlockShape(ExportKind? kind)
        {
            this.kind = kind;
        }

        /// <summary>Which known root property the reader's current property name is.</summary>
        public static RootName Classify(ref Utf8JsonReader reader) =>
            reader.ValueTextEquals("userlist"u8) ? RootName.UserList
            : reader.ValueTextEquals("department"u8) ? RootName.Department
            : reader.ValueTextEquals("partylist"u8) ? RootName.PartyList
            : reader.ValueTextEquals("tagname"u8) ? RootName.TagName
            : RootName.Other;

        /// <summary>The block's first token: it must open an object.</summary>
        public static void CheckRoot(JsonTokenType token)
        {
            if (token != JsonTokenType.StartObject)
            {
                throw new RecordShapeException($"the block is a JSON {token}, not an object.");
            }
        }

        /// <summary>A known root property whose value starts with <paramref name="value"/>; throws when it does not belong or is not a list (text for tagname).</summary>
        public void Note(RootName name, JsonTokenType value)
        {
            if (name == RootName.Other)
            {
                return;
            }

            RootName foreign = ForeignTo(name);
            if (foreign != RootName.Other)
            {
                string problem = kind is null
                    ? $"the block holds both \"{JsonName(foreign)}\" and \"{JsonName(name)}\", lists of two export kinds."
                    : $"the block holds \"{JsonName(name)}\", which {Article(KindOf(name))} export's block holds, not {Article(kind.Value)} export's.";
                throw new RecordShapeException(problem, kindMismatch: true, kind);
            }

            if (name == RootName.TagName)
            {
                if (value is not (JsonTokenType.String or JsonTokenType.Number))
                {
                    throw new RecordShapeException($"the tagname is a JSON {value}, not a string.");
                }

                tagName = true;
                return;
            }

            if (value != JsonTokenType.StartArray)
            {
                throw new RecordShapeException($"the block's \"{JsonName(name)}\" is a JSON {value}, not an array.");
            }

            switch (name)
            {
                case RootName.UserList:
                    userList = true;
                    break;
                case RootName.Department:
                    department = true;
                    break;
                default:
                    partyList = true;
                    break;
            }
        }

        /// <summary>At the root's end: throws unless the block held what its kind requires.</summary>
        public void Complete()
        {
            ExportKind? required = kind ?? (department ? ExportKind.Department
                : tagName || partyList ? ExportKind.TagUser
                : userList ? ExportKind.User
                : null);
            string? missing = required switch
            {
                null => "the block holds none of the lists of an export block (\"userlist\", \"department\", or \"tagname\" with \"userlist\"/\"partylist\").",
                ExportKind.Department when !department => "the block holds no \"department\" array, which every block of a department export holds.",
                ExportKind.TagUser when !tagName => "the block holds no \"tagname\", which every block of a tag export holds.",
                ExportKind.TagUser when !userList && !partyList => "the block holds neither a \"userlist\" nor a \"partylist\" array, one of which every block of a tag export holds.",
                ExportKind.SimpleUser or ExportKind.User when !userList => "the block holds no \"userlist\" array, which every block of a member export holds.",
                _ => null,
            };
            if (missing is not null)
            {
                throw new RecordShapeException(missing);
            }
        }

        private static string JsonName(RootName name) => name switch
        {
            RootName.UserList => "userlist",
            RootName.Department => "department",
            RootName.PartyList => "partylist",
            _ => "tagname",
        };

        private static ExportKind KindOf(RootName name) => name switch
        {
            RootName.Department => ExportKind.Department,
            RootName.UserList => ExportKind.User,
            _ => ExportKind.TagUser,
        };

        private static string Article(ExportKind kind) => kind switch
        {
            ExportKind.Department => "a department",
            ExportKind.TagUser => "a tag",
            _ => "a member",
        };

        /// <summary>The property already seen (or, with a kind, the kind's own) that <paramref name="name"/> cannot sit beside; Other when it fits.</summary>
        private RootName ForeignTo(RootName name)
        {
            switch (kind)
            {
                case ExportKind.SimpleUser:
                case ExportKind.User:
                    return name == RootName.UserList ? RootName.Other : RootName.UserList;
                case ExportKind.Department:
                    return name == RootName.Department ? RootName.Other : RootName.Department;
                case ExportKind.TagUser:
                    return name == RootName.Department ? RootName.TagName : RootName.Other;
                default:
                    if (name == RootName.Department)
                    {
                        return userList ? RootName.UserList : partyList ? RootName.PartyList : tagName ? RootName.TagName : RootName.Other;
                    }

                    return department ? RootName.Department : RootName.Other;
            }
        }
    }
}

using System.Collections.Generic;
using System.Text.Json;
using WeComExport.Records;

namespace WeComExport.Blocks
{
    /// <summary>Builds a <see cref="WeComUser"/> from one userlist item (simple_user and user exports).</summary>
    internal sealed class UserRecordParser
    {
        private const int UserId = 1;
        private const int Name = 2;
        private const int Department = 3;
        private const int Order = 4;
        private const int Position = 5;
        private const int Mobile = 6;
        private const int Gender = 7;
        private const int Email = 8;
        private const int BizMail = 9;
        private const int IsLeaderInDept = 10;
        private const int DirectLeader = 11;
        private const int Avatar = 12;
        private const int ThumbAvatar = 13;
        private const int Telephone = 14;
        private const int Alias = 15;
        private const int Status = 16;
        private const int Address = 17;
        private const int EnglishName = 18;
        private const int OpenUserId = 19;
        private const int MainDepartment = 20;
        private const int ExtAttr = 21;
        private const int QrCode = 22;
        private const int ExternalPosition = 23;
        private const int ExternalProfile = 24;

        private static readonly string?[] JsonNames =
        {
            null, "userid", "name", "department", "order", "position", "mobile", "gender", "email", "biz_mail",
            "is_leader_in_dept", "direct_leader", "avatar", "thumb_avatar", "telephone", "alias", "status",
            "address", "english_name", "open_userid", "main_department", "extattr", "qr_code",
            "external_position", "external_profile",
        };

        private readonly FieldNameTable names = new(JsonNames);
        private readonly AdditionalFieldsBuilder additional = new();
        private readonly RepeatedTextCache repeated = new();
        private readonly ExtAttrParser extAttrParser;
        private readonly List<long> numbers = new();
        private readonly List<string> texts = new();

        public UserRecordParser()
        {
            extAttrParser = new ExtAttrParser(repeated);
        }

        /// <summary>
        /// Reads the object whose StartObject the reader is on, up to its EndObject.
        /// False when the window ends first (the caller refills and calls again from the same item).
        /// </summary>
        public bool TryParse(ref Utf8JsonReader reader, out WeComUser? user)
        {
            user = null;
            additional.Clear();
            string? userId = null, name = null, position = null, mobile = null, gender = null, email = null, bizMail = null;
            string? avatar = null, thumbAvatar = null, telephone = null, alias = null, address = null, englishName = null;
            string? openUserId = null, qrCode = null, externalPosition = null;
            int? status = null;
            long? mainDepartment = null;
            WeComList<long> department = WeComList<long>.Empty, order = WeComList<long>.Empty;
            WeComList<int> isLeaderInDept = WeComList<int>.Empty;
            WeComList<string> directLeader = WeComList<string>.Empty;
            WeComExtAttr? extAttr = null;
            IReadOnlyDictionary<string, object?>? externalProfile = null;

            while (true)
            {
                FieldStep step = names.Next(ref reader, out int field, out string? unknownName);
                if (step == FieldStep.NeedMore)
                {
                    return false;
                }

                if (step == FieldStep.End)
                {
                    break;
                }

                bool typed;
                FieldRead read = FieldRead.Done;
                switch (field)
                {
                    case UserId: typed = JsonFields.TryGetText(ref reader, out userId); break;
                    case Name: typed = JsonFields.TryGetText(ref reader, out name); break;
                    case Position: typed = repeated.TryGetText(ref reader, out position); break;
                    case Mobile: typed = JsonFields.TryGetText(ref reader, out mobile); break;
                    case Gender: typed = repeated.TryGetText(ref reader, out gender); break;
                    case Email: typed = JsonFields.TryGetText(ref reader, out email); break;
                    case BizMail: typed = JsonFields.TryGetText(ref reader, out bizMail); break;
                    case Avatar: typed = JsonFields.TryGetText(ref reader, out avatar); break;
                    case ThumbAvatar: typed = JsonFields.TryGetText(ref reader, out thumbAvatar); break;
                    case Telephone: typed = JsonFields.TryGetText(ref reader, out telephone); break;
                    case Alias: typed = JsonFields.TryGetText(ref reader, out alias); break;
                    case Address: typed = JsonFields.TryGetText(ref reader, out address); break;
                    case EnglishName: typed = JsonFields.TryGetText(ref reader, out englishName); break;
                    case OpenUserId: typed = JsonFields.TryGetText(ref reader, out openUserId); break;
                    case QrCode: typed = JsonFields.TryGetText(ref reader, out qrCode); break;
                    case ExternalPosition: typed = repeated.TryGetText(ref reader, out externalPosition); break;
                    case Status: typed = JsonFields.TryGetInt32(ref reader, out status); break;
                    case MainDepartment: typed = JsonFields.TryGetInt64(ref reader, out mainDepartment); break;
                    case Department: read = JsonFields.TryReadInt64List(ref reader, numbers, out department); typed = read != FieldRead.Mismatch; break;
                    case Order: read = JsonFields.TryReadInt64List(ref reader, numbers, out order); typed = read != FieldRead.Mismatch; break;
                    case IsLeaderInDept: read = JsonFields.TryReadInt32List(ref reader, numbers, out isLeaderInDept); typed = read != FieldRead.Mismatch; break;
                    case DirectLeader: read = JsonFields.TryReadStringList(ref reader, texts, out directLeader); typed = read != FieldRead.Mismatch; break;
                    case ExtAttr: read = extAttrParser.TryParse(ref reader, out extAttr); typed = read != FieldRead.Mismatch; break;
                    case ExternalProfile: read = JsonFields.TryReadObject(ref reader, out externalProfile); typed = read != FieldRead.Mismatch; break;
                    default: typed = false; break;
                }

                if (read == FieldRead.NeedMore)
                {
                    return false;
                }

                if (!typed && !additional.TryKeep(ref reader, unknownName ?? JsonNames[field]!))
                {
                    return false;
                }
            }

            user = new WeComUser(additional.Take())
            {
                UserId = userId,
                Name = name,
                Department = department,
                Order = order,
                Position = position,
                Mobile = mobile,
                Gender = gender,
                Email = email,
                BizMail = bizMail,
                IsLeaderInDept = isLeaderInDept,
                DirectLeader = directLeader,
                Avatar = avatar,
                ThumbAvatar = thumbAvatar,
                Telephone = telephone,
                Alias = alias,
                Status = status,
                Address = address,
                EnglishName = englishName,
                OpenUserId = openUserId,
                MainDepartment = mainDepartment,
                ExtAttr = extAttr,
                QrCode = qrCode,
                ExternalPosition = externalPosition,
                ExternalProfile = externalProfile,
            };
            return true;
        }
    }
}

using WeComExport.Records;

namespace WeComExport.Blocks
{
    /// <summary>
    /// Each record type's known JSON fields, one line per field: a new WeCom field is one line here and one
    /// property on the record (and, for Compare, one line in Snapshots/RecordFields).
    /// </summary>
    internal static class RecordTables
    {
        /// <summary>A userlist item of a simple_user or user export.</summary>
        public static readonly JsonField<WeComUser>[] User =
        {
            JsonField.Text<WeComUser>("userid", (r, v) => r.UserId = v),
            JsonField.Text<WeComUser>("name", (r, v) => r.Name = v),
            JsonField.Int64List<WeComUser>("department", (r, v) => r.Department = v),
            JsonField.Int64List<WeComUser>("order", (r, v) => r.Order = v),
            JsonField.RepeatedText<WeComUser>("position", (r, v) => r.Position = v),
            JsonField.Text<WeComUser>("mobile", (r, v) => r.Mobile = v),
            JsonField.RepeatedText<WeComUser>("gender", (r, v) => r.Gender = v),
            JsonField.Text<WeComUser>("email", (r, v) => r.Email = v),
            JsonField.Text<WeComUser>("biz_mail", (r, v) => r.BizMail = v),
            JsonField.Int32List<WeComUser>("is_leader_in_dept", (r, v) => r.IsLeaderInDept = v),
            JsonField.TextList<WeComUser>("direct_leader", (r, v) => r.DirectLeader = v),
            JsonField.Text<WeComUser>("avatar", (r, v) => r.Avatar = v),
            JsonField.Text<WeComUser>("thumb_avatar", (r, v) => r.ThumbAvatar = v),
            JsonField.Text<WeComUser>("telephone", (r, v) => r.Telephone = v),
            JsonField.Text<WeComUser>("alias", (r, v) => r.Alias = v),
            JsonField.Int32<WeComUser>("status", (r, v) => r.Status = v),
            JsonField.Text<WeComUser>("address", (r, v) => r.Address = v),
            JsonField.Text<WeComUser>("english_name", (r, v) => r.EnglishName = v),
            JsonField.Text<WeComUser>("open_userid", (r, v) => r.OpenUserId = v),
            JsonField.Int64<WeComUser>("main_department", (r, v) => r.MainDepartment = v),
            JsonField.ExtAttr<WeComUser>("extattr", (r, v) => r.ExtAttr = v),
            JsonField.Text<WeComUser>("qr_code", (r, v) => r.QrCode = v),
            JsonField.RepeatedText<WeComUser>("external_position", (r, v) => r.ExternalPosition = v),
            JsonField.Object<WeComUser>("external_profile", (r, v) => r.ExternalProfile = v),
        };

        /// <summary>An item of a department block.</summary>
        public static readonly JsonField<WeComDepartment>[] Department =
        {
            JsonField.Int64<WeComDepartment>("id", (r, v) => r.Id = v ?? 0),
            JsonField.Text<WeComDepartment>("name", (r, v) => r.Name = v),
            JsonField.Text<WeComDepartment>("name_en", (r, v) => r.NameEn = v),
            JsonField.Int64<WeComDepartment>("parentid", (r, v) => r.ParentId = v),
            JsonField.Int64<WeComDepartment>("order", (r, v) => r.Order = v),
            JsonField.TextList<WeComDepartment>("department_leader", (r, v) => r.DepartmentLeader = v),
        };

        /// <summary>A userlist item of a tag block (the tag's id, name and MemberType come from the block, not the item).</summary>
        public static readonly JsonField<WeComTagMember>[] TagUser =
        {
            JsonField.Text<WeComTagMember>("userid", (r, v) => r.UserId = v),
            JsonField.Text<WeComTagMember>("name", (r, v) => r.Name = v),
        };
    }
}

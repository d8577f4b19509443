using System.Management.Automation;
using WeComExport.Callbacks;

namespace WeComExport.Commands.Notifications
{
    /// <summary>
    /// Gives each notification a default display of the four columns a reader needs (a table,
    /// not a 17-line list); Select-Object *, Export-Csv and pipeline binding still see every property.
    /// </summary>
    internal static class NotificationView
    {
        private static readonly string[] DefaultColumns = { nameof(ExportNotification.Kind), nameof(ExportNotification.JobId), nameof(ExportNotification.ErrCode), nameof(ExportNotification.ErrMsg) };

        public static PSObject Wrap(ExportNotification notification)
        {
            var wrapped = PSObject.AsPSObject(notification);
            var display = new PSPropertySet("DefaultDisplayPropertySet", DefaultColumns);
            wrapped.Members.Add(new PSMemberSet("PSStandardMembers", new PSMemberInfo[] { display }));
            return wrapped;
        }
    }
}

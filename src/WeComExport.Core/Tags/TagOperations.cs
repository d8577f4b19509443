using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;

namespace WeComExport.Tags
{
    /// <summary>tag/list: the tags the app can read, so users can find the ids to export.</summary>
    public static class TagOperations
    {
        private const string ListApi = "tag/list";

        public static async Task<IReadOnlyList<WeComTag>> ListAsync(WeComSession session, CancellationToken cancellationToken)
        {
            if (session is null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            session.ThrowIfDisconnected();
            var answer = new WeComAnswer(ListApi, await session.Api.GetAsync(ListApi, cancellationToken).ConfigureAwait(false));
            var tags = new List<WeComTag>();
            foreach (JsonElement item in answer.Array("taglist"))
            {
                // A tag that cannot be read is an error, not a tag silently missing from the list.
                int index = tags.Count;
                WeComAnswer tag = answer.Item("taglist", index, item, string.Format(CultureInfo.InvariantCulture, " of taglist item {0}", index));
                tags.Add(new WeComTag(tag.Int64("tagid", 0, long.MaxValue), tag.String("tagname")));
            }

            return tags;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using WeComExport.Api;

namespace WeComExport.Tags
{
    /// <summary>tag/list: the tags the app can read, so users can find the ids to export.</summary>
    public static class TagOperations
    {
        public static async Task<IReadOnlyList<WeComTag>> ListAsync(WeComSession session, CancellationToken cancellationToken)
        {
            if (session is null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            session.ThrowIfDisconnected();
            JsonElement answer = await session.Api.GetAsync("tag/list", cancellationToken).ConfigureAwait(false);
            var tags = new List<WeComTag>();
            if (answer.TryGetProperty("taglist", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in list.EnumerateArray())
                {
                    if (item.TryGetProperty("tagid", out JsonElement id) && id.TryGetInt64(out long tagId))
                    {
                        string name = item.TryGetProperty("tagname", out JsonElement n) ? n.GetString() ?? string.Empty : string.Empty;
                        tags.Add(new WeComTag(tagId, name));
                    }
                }
            }

            return tags;
        }
    }
}

using System.Collections.Generic;
using System.Text;
using WeComExport.Records;

namespace WeComExport.Snapshots
{
    /// <summary>
    /// The departments of a snapshot by id: name and parent, and each department's path (the names from
    /// the topmost department of the export down to it, <c>/</c>-joined, escaped as <see cref="CsvLists.PathLevel"/>),
    /// computed once and kept. Memory is bounded by the department count, never by the members.
    /// </summary>
    internal sealed class DepartmentDirectory
    {
        /// <summary>
        /// A path holds at most this many levels (WeCom allows 15): a deeper department's path starts at its
        /// 63rd ancestor, and a parent loop (which WeCom never sends) starts it at the last department before
        /// the loop closes. Without the limit a hostile chain of n departments would cost n² in paths.
        /// </summary>
        public const int MaxPathDepth = 64;

        private readonly Dictionary<long, Node> nodes = new();
        private readonly List<Node> chain = new();
        private readonly HashSet<long> onChain = new();
        private readonly StringBuilder path = new();

        public int Count => nodes.Count;

        /// <summary>Adds a department; a repeated id keeps the last one read, as a repeated JSON field does.</summary>
        public void Add(WeComDepartment department) =>
            nodes[department.Id] = new Node(department.Id, department.Name, department.ParentId);

        /// <summary>The department's name as sent (null when the id is not in the export).</summary>
        public string? NameOf(long id) => nodes.TryGetValue(id, out Node? node) ? node.Name : null;

        /// <summary>The department's escaped path, or the empty string when the id is not in the export.</summary>
        public string PathOf(long id)
        {
            if (!nodes.TryGetValue(id, out Node? node))
            {
                return string.Empty;
            }

            return node.Path ?? BuildPath(node);
        }

        private string BuildPath(Node start)
        {
            // Walk up to the top of the export (no parent, or a parent the export does not hold) or to an
            // ancestor whose path is known and short enough; then build the paths back down and keep them, so
            // each department's path is built once. A walk that ends at a parent loop or at the depth limit
            // gives a path that depends on where it started: only the start keeps it.
            chain.Clear();
            onChain.Clear();
            Node? known = null;
            bool complete = false;
            for (Node node = start; ;)
            {
                chain.Add(node);
                onChain.Add(node.Id);
                if (node.ParentId is not long parentId || parentId == 0 || !nodes.TryGetValue(parentId, out Node? parent))
                {
                    complete = true;
                    break;
                }

                if (onChain.Contains(parentId) || chain.Count == MaxPathDepth)
                {
                    break;
                }

                // Only a path that reaches the top goes on: one cut at a loop or at the limit holds levels that would repeat.
                if (parent.Path is not null && parent.ReachesTop && parent.Depth + chain.Count <= MaxPathDepth)
                {
                    known = parent;
                    complete = true;
                    break;
                }

                node = parent;
            }

            path.Clear();
            path.Append(known?.Path);
            int depth = known?.Depth ?? 0;
            for (int i = chain.Count - 1; i >= 0; i--)
            {
                if (depth > 0)
                {
                    path.Append('/');
                }

                path.Append(CsvLists.PathLevel(chain[i].Name));
                depth++;
                if (complete || i == 0)
                {
                    chain[i].Path = path.ToString();
                    chain[i].Depth = depth;
                    chain[i].ReachesTop = complete;
                }
            }

            return start.Path!;
        }

        private sealed class Node
        {
            public Node(long id, string? name, long? parentId)
            {
                Id = id;
                Name = name;
                ParentId = parentId;
            }

            public long Id { get; }

            public string? Name { get; }

            public long? ParentId { get; }

            public string? Path { get; set; }

            /// <summary>The levels in <see cref="Path"/>.</summary>
            public int Depth { get; set; }

            /// <summary>Whether <see cref="Path"/> starts at the top of the export, not where a loop or the depth limit cut it.</summary>
            public bool ReachesTop { get; set; }
        }
    }
}

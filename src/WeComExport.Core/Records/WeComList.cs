using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace WeComExport.Records
{
    /// <summary>
    /// The non-generic base of <see cref="WeComList{T}"/>. It exists for its type name: PowerShell's
    /// serializer writes a list with its type names, and "Deserialized.WeComExport.Records.WeComList" is the
    /// one the module's types.ps1xml can name (the generic name carries the runtime's assembly version),
    /// to give deserialized lists the same "1;2" ToString as live ones.
    /// </summary>
#pragma warning disable CA1010, CA1710 // A marker base: the collection interfaces and their naming are on WeComList<T>.
    public abstract class WeComList
#pragma warning restore CA1010, CA1710
    {
        private protected WeComList()
        {
        }
    }

    /// <summary>
    /// An immutable list from an export record (department ids, leaders, ...). ToString joins the items
    /// with ';' so a cell in a table or an Export-Csv file reads "1;2" instead of "System.Int64[]".
    /// </summary>
    public sealed class WeComList<T> : WeComList, IReadOnlyList<T>
    {
        private readonly T[] items;

        /// <summary>Copies <paramref name="items"/>; later changes to the source do not show here.</summary>
        public WeComList(IEnumerable<T> items)
        {
            if (items is null)
            {
                throw new ArgumentNullException(nameof(items));
            }

            this.items = new List<T>(items).ToArray();
        }

        private WeComList(T[] items)
        {
            this.items = items;
        }

        // CA1000: WeComList<long>.Empty mirrors Array.Empty<T>() and ImmutableArray<T>.Empty; callers name T anyway.
#pragma warning disable CA1000
        public static WeComList<T> Empty { get; } = new WeComList<T>(Array.Empty<T>());
#pragma warning restore CA1000

        public int Count => items.Length;

        public T this[int index] => items[index];

        /// <summary>Wraps an array the caller gives up (the parser's own fresh copy), without copying it again.</summary>
        internal static WeComList<T> Own(T[] items) => items.Length == 0 ? Empty : new WeComList<T>(items);

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => items.GetEnumerator();

        /// <summary>The items joined with ';', formatted with the invariant culture.</summary>
        public override string ToString()
        {
            if (items.Length == 0)
            {
                return string.Empty;
            }

            var text = new StringBuilder();
            for (int i = 0; i < items.Length; i++)
            {
                if (i > 0)
                {
                    text.Append(';');
                }

                text.Append(Convert.ToString(items[i], CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }
    }
}

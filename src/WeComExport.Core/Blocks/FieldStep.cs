namespace WeComExport.Blocks
{
    /// <summary>Where <see cref="FieldNameTable.Next"/> left the reader.</summary>
    internal enum FieldStep
    {
        /// <summary>On the value of the next property.</summary>
        Value,

        /// <summary>At the end of the object.</summary>
        End,

        /// <summary>The window ended first: refill and retry the record.</summary>
        NeedMore,
    }
}

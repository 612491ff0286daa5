using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Subspace.ML;

/// <summary>
/// A row of a transformer's output: the input row's columns pass through unchanged, and the columns the
/// transformer appends come from <see cref="OutputGetter{TValue}"/>. Shared by the transformers' views and row mappers.
/// </summary>
/// <param name="input">The input row.</param>
/// <param name="schema">The output schema (input columns first, then the appended ones).</param>
/// <param name="active">Indices of the output columns requested.</param>
internal abstract class AppendedColumnsRow(DataViewRow input, DataViewSchema schema, HashSet<int> active) : DataViewRow
{
    protected DataViewRow Input => input;

    public override DataViewSchema Schema => schema;

    public override long Position => input.Position;

    public override long Batch => input.Batch;

    public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

    public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

    public sealed override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column)) throw new InvalidOperationException($"Column '{column.Name}' was not requested when this row or cursor was created.");
        int inputCount = input.Schema.Count;
        return column.Index < inputCount
            ? input.GetGetter<TValue>(input.Schema[column.Index])
            : OutputGetter<TValue>(column, column.Index - inputCount);
    }

    /// <summary>The getter of appended column <paramref name="output"/> (0 = the first appended column).</summary>
    protected abstract ValueGetter<TValue> OutputGetter<TValue>(DataViewSchema.Column column, int output);

    /// <summary>Casts an untyped getter, naming the column when the caller asked for the wrong type.</summary>
    protected static ValueGetter<TValue> Typed<TValue>(Delegate? getter, DataViewSchema.Column column)
        => getter as ValueGetter<TValue> ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}, not {typeof(TValue).Name}.");
}

/// <summary>
/// A cursor over a row-by-row transform: <paramref name="input"/> moves, and <paramref name="row"/> (an
/// <see cref="AppendedColumnsRow"/> built on that same input cursor) supplies every getter.
/// </summary>
/// <param name="input">The input cursor; disposed with this one.</param>
/// <param name="row">The output row over <paramref name="input"/>.</param>
internal sealed class AppendedColumnsCursor(DataViewRowCursor input, AppendedColumnsRow row) : DataViewRowCursor
{
    public override DataViewSchema Schema => row.Schema;

    public override long Position => input.Position;

    public override long Batch => input.Batch;

    public override bool IsColumnActive(DataViewSchema.Column column) => row.IsColumnActive(column);

    public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => row.GetGetter<TValue>(column);

    public override bool MoveNext() => input.MoveNext();

    protected override void Dispose(bool disposing)
    {
        if (disposing) input.Dispose();
        base.Dispose(disposing);
    }
}

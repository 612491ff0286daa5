namespace MLNet.Subspace.Data;

/// <summary>A dense row-major matrix of doubles: rows are samples, columns are features.</summary>
public sealed class Matrix
{
    /// <summary>Wraps <paramref name="values"/> (not copied).</summary>
    /// <param name="values">Rows*Columns values, row-major.</param>
    /// <param name="rows">Row count.</param>
    /// <param name="columns">Column count.</param>
    public Matrix(double[] values, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (rows < 0 || columns < 0) throw new ArgumentOutOfRangeException(nameof(rows), $"Matrix dimensions must be non-negative. Got {rows}x{columns} instead.");
        if (values.LongLength != (long)rows * columns)
            throw new ArgumentException($"Expected {rows}x{columns} = {(long)rows * columns} values. Got {values.LongLength} instead.", nameof(values));
        Values = values;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>The values, row-major.</summary>
    public double[] Values { get; }

    /// <summary>Number of rows (samples).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (features).</summary>
    public int Columns { get; }

    /// <summary>One value.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column index.</param>
    public double this[int row, int column] => Values[(long)row * Columns + column];

    /// <summary>One row.</summary>
    /// <param name="row">Row index.</param>
    public ReadOnlySpan<double> Row(int row) => Values.AsSpan(row * Columns, Columns);
}

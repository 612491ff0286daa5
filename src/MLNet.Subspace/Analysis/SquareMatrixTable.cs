using Microsoft.Data.Analysis;

namespace MLNet.Subspace.Analysis;

/// <summary>Square layer-by-layer matrices as DataFrames.</summary>
internal static class SquareMatrixTable
{
    /// <summary>A square matrix as a DataFrame: first column <c>layer</c> with the names, then one column per name.</summary>
    /// <param name="names">Row and column names.</param>
    /// <param name="values">The matrix.</param>
    public static DataFrame Create(IReadOnlyList<string> names, double[,] values)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(values);
        int n = names.Count;
        if (values.GetLength(0) != n || values.GetLength(1) != n)
            throw new ArgumentException($"Expected a {n}x{n} matrix for {n} names. Got {values.GetLength(0)}x{values.GetLength(1)} instead.", nameof(values));
        var columns = new List<DataFrameColumn> { new StringDataFrameColumn("layer", names) };
        for (int j = 0; j < n; j++) columns.Add(new DoubleDataFrameColumn(names[j], Enumerable.Range(0, n).Select(i => values[i, j])));
        return new DataFrame(columns);
    }
}

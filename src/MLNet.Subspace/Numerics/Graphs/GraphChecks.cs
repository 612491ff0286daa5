using System.Globalization;

namespace MLNet.Subspace.Numerics.Graphs;

/// <summary>The one set of structural checks every graph analytic (modularity, Louvain, SSC-CKA, affinity graphs) applies.</summary>
internal static class GraphChecks
{
    /// <summary>
    /// Relative tolerance (of the largest |w|) within which W<sub>ij</sub> and W<sub>ji</sub> count as equal, for every check
    /// (sparse graphs here, dense Gram matrices in CKA): graphs read back from text carry rounding of about 1e-15 to 1e-12
    /// relative, while a directed graph differs by far more.
    /// </summary>
    public const double SymmetryTolerance = 1e-9;

    /// <summary>Checks that <paramref name="graph"/> is square, finite, optionally non-negative, and symmetric.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="name">Its name in messages.</param>
    /// <param name="nonNegative">Whether weights must be 0 or more (affinity graphs; a CKA kernel may be negative).</param>
    /// <exception cref="ArgumentException">The first violation, with its row and column counted from 1.</exception>
    public static void Check(SparseMatrix graph, string name, bool nonNegative = true)
    {
        ArgumentNullException.ThrowIfNull(graph, name);
        if (graph.Rows != graph.Columns)
            throw new ArgumentException($"Graph '{name}' must be square (N x N). Got {graph.Rows}x{graph.Columns} instead.", name);
        for (int i = 0; i < graph.Rows; i++)
        {
            var cols = graph.RowIndices(i);
            var vals = graph.RowValues(i);
            for (int k = 0; k < cols.Length; k++)
                if (!double.IsFinite(vals[k]) || (nonNegative && !(vals[k] >= 0)))
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"Graph '{name}', row {i + 1}, column {cols[k] + 1} (counted from 1): expected a finite{(nonNegative ? " non-negative" : "")} weight, found {vals[k]}."), name);
        }
        if (FirstAsymmetry(graph) is var (row, column, w, mirrored))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Graph '{name}' must be symmetric (undirected): W[{row + 1}, {column + 1}] = {w} but W[{column + 1}, {row + 1}] = {mirrored} (counted from 1)."), name);
    }

    /// <summary>
    /// The first stored (i, j) whose mirror (j, i) differs beyond <see cref="SymmetryTolerance"/> of the largest |w|, or null
    /// when W = W<sup>T</sup>. Each stored (i, j) is looked up in row j by binary search: O(nnz log(nnz per row)), no allocation.
    /// </summary>
    private static (int Row, int Column, double Weight, double Mirrored)? FirstAsymmetry(SparseMatrix graph)
    {
        double largest = 0;
        foreach (double v in graph.Values) largest = Math.Max(largest, Math.Abs(v));
        double tolerance = SymmetryTolerance * largest;
        for (int i = 0; i < graph.Rows; i++)
        {
            var cols = graph.RowIndices(i);
            var vals = graph.RowValues(i);
            for (int k = 0; k < cols.Length; k++)
            {
                int j = cols[k];
                if (j == i) continue;
                int at = graph.RowIndices(j).BinarySearch(i);
                double mirrored = at < 0 ? 0 : graph.RowValues(j)[at];
                if (Math.Abs(mirrored - vals[k]) > tolerance) return (i, j, vals[k], mirrored);
            }
        }
        return null;
    }
}

namespace MLNet.Subspace.Numerics.Graphs;

/// <summary>Structural checks shared by the graph analytics.</summary>
internal static class GraphChecks
{
    /// <summary>
    /// The first row i where row i of W differs from column i (beyond <paramref name="relativeTolerance"/> of the
    /// largest |w|), or null when W = W^T. Each stored (i, j) is looked up in row j by binary search:
    /// O(nnz log(nnz per row)) time, no allocation.
    /// </summary>
    public static int? FirstAsymmetricRow(SparseMatrix graph, double relativeTolerance)
    {
        if (graph.Rows != graph.Columns) return 0;
        double largest = 0;
        foreach (double v in graph.Values) largest = Math.Max(largest, Math.Abs(v));
        double tolerance = relativeTolerance * largest;
        for (int i = 0; i < graph.Rows; i++)
        {
            var cols = graph.RowIndices(i);
            var vals = graph.RowValues(i);
            for (int k = 0; k < cols.Length; k++)
            {
                int j = cols[k];
                if (j == i) continue;
                int at = graph.RowIndices(j).BinarySearch(i);
                if (at < 0 || Math.Abs(graph.RowValues(j)[at] - vals[k]) > tolerance) return i;
            }
        }
        return null;
    }
}

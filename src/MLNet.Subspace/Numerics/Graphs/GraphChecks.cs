namespace MLNet.Subspace.Numerics.Graphs;

/// <summary>Structural checks shared by the graph analytics.</summary>
internal static class GraphChecks
{
    /// <summary>The first row i where row i of W differs from column i (beyond <paramref name="relativeTolerance"/> of the largest |w|), or null when W = W^T. O(nnz log nnz).</summary>
    public static int? FirstAsymmetricRow(SparseMatrix graph, double relativeTolerance)
    {
        var t = graph.Transpose();
        double largest = 0;
        foreach (double v in graph.Values) largest = Math.Max(largest, Math.Abs(v));
        for (int i = 0; i < graph.Rows; i++)
        {
            var c1 = graph.RowIndices(i); var v1 = graph.RowValues(i);
            var c2 = t.RowIndices(i); var v2 = t.RowValues(i);
            if (!c1.SequenceEqual(c2)) return i;
            for (int k = 0; k < v1.Length; k++)
                if (Math.Abs(v1[k] - v2[k]) > relativeTolerance * largest) return i;
        }
        return null;
    }
}

namespace MLNet.Subspace.Numerics.Graphs;

/// <summary>
/// Newman's weighted modularity of an undirected graph against a partition:
/// Q = 1/(2m) sum_ij (A_ij - gamma k_i k_j / 2m) delta(c_i, c_j).
/// </summary>
/// <remarks>
/// The graph is a symmetric non-negative weight matrix W (CSR). As in networkx
/// (<c>from_numpy_array</c> then <c>community.modularity</c>), a diagonal entry W_ii is a self-loop of
/// weight W_ii that counts twice in the degree, i.e. A = W + diag(W). With k_c the summed degree of
/// community c and w_c its internal weight (each edge once, loops once),
/// Q = sum_c [ w_c / m - gamma (k_c / 2m)^2 ]. Against the true classes Q can be negative.
/// </remarks>
public static class Modularity
{
    /// <summary>Modularity of <paramref name="graph"/> against <paramref name="labels"/> in O(nnz + N) time, O(N + classes) memory.</summary>
    /// <param name="graph">Symmetric N x N non-negative weights.</param>
    /// <param name="labels">One community label per node (any integers).</param>
    /// <param name="resolution">The resolution gamma (1 is Newman's Q).</param>
    /// <returns>Q in [-1/2, 1].</returns>
    /// <exception cref="ArgumentException">The graph is not square/symmetric, a weight is negative, the label count differs from N, or the graph has no edges.</exception>
    public static double Compute(SparseMatrix graph, ReadOnlySpan<int> labels, double resolution = 1.0)
    {
        CheckGraph(graph, nameof(graph));
        if (labels.Length != graph.Rows)
            throw new ArgumentException($"Got {labels.Length} labels for a graph of {graph.Rows} nodes; give one label per node.", nameof(labels));
        var (community, count) = DenseLabels.Remap(labels);
        return ComputeDense(graph, community, count, resolution);
    }

    /// <summary>Q for communities already numbered 0..count-1.</summary>
    internal static double ComputeDense(SparseMatrix graph, int[] community, int count, double resolution)
    {
        var degree = new double[count];
        var internalWeight = new double[count];
        double twiceM = 0;
        for (int i = 0; i < graph.Rows; i++)
        {
            var cols = graph.RowIndices(i);
            var vals = graph.RowValues(i);
            int ci = community[i];
            for (int k = 0; k < cols.Length; k++)
            {
                double w = cols[k] == i ? 2 * vals[k] : vals[k];
                degree[ci] += w;
                twiceM += w;
                if (community[cols[k]] == ci) internalWeight[ci] += w;
            }
        }
        if (twiceM <= 0) throw new ArgumentException("The graph has no edges (total weight 0), so modularity is 0/0.", nameof(graph));
        double q = 0;
        for (int c = 0; c < count; c++)
            q += internalWeight[c] / twiceM - resolution * (degree[c] / twiceM) * (degree[c] / twiceM);
        return q;
    }

    /// <summary>Checks that a graph is square, finite, non-negative and symmetric (<see cref="GraphChecks.Check"/>).</summary>
    internal static void CheckGraph(SparseMatrix graph, string name) => GraphChecks.Check(graph, name);
}

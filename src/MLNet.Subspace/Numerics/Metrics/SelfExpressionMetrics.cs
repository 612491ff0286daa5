using MLNet.Subspace.Numerics.Spectral;

namespace MLNet.Subspace.Numerics.Metrics;

/// <summary>Quality of a self-expressive code against the true subspace labels (You et al.'s diagnostics).</summary>
public static class SelfExpressionMetrics
{
    /// <summary>
    /// Subspace-preserving error: the mean over samples with a non-zero code of the share of |c<sub>i</sub>|'s l1 mass on
    /// samples of other classes (0 is perfect). O(nnz).
    /// </summary>
    /// <param name="codes">Row i = code of sample i.</param>
    /// <param name="labels">True classes.</param>
    public static double SubspacePreservingError(SparseMatrix codes, IReadOnlyList<int> labels)
    {
        Check(codes, labels);
        double sum = 0;
        int counted = 0;
        for (int i = 0; i < codes.Rows; i++)
        {
            var idx = codes.RowIndices(i);
            var val = codes.RowValues(i);
            double total = 0, wrong = 0;
            for (int t = 0; t < idx.Length; t++)
            {
                double a = Math.Abs(val[t]);
                total += a;
                if (labels[idx[t]] != labels[i]) wrong += a;
            }
            if (total > 0) { sum += wrong / total; counted++; }
        }
        return counted == 0 ? 0 : sum / counted;
    }

    /// <summary>Average number of non-zeros per code.</summary>
    /// <param name="codes">Codes.</param>
    public static double NonZerosPerSample(SparseMatrix codes) => codes.Rows == 0 ? 0 : codes.NonZeroCount / (double)codes.Rows;

    /// <summary>Sparsity: share of the off-diagonal entries of C that are zero.</summary>
    /// <param name="codes">Codes.</param>
    public static double Sparsity(SparseMatrix codes) => codes.Rows < 2 ? 1 : 1 - codes.NonZeroCount / ((double)codes.Rows * (codes.Rows - 1));

    /// <summary>
    /// Connectivity: the minimum over classes of the second-smallest eigenvalue of the normalised Laplacian of W restricted to
    /// the class (0 when some class's sub-graph is disconnected). Dense eigensolver for small classes, block Krylov otherwise.
    /// </summary>
    /// <param name="weights">W (N x N, symmetric).</param>
    /// <param name="labels">True classes.</param>
    public static double Connectivity(SparseMatrix weights, IReadOnlyList<int> labels)
    {
        Check(weights, labels);
        double best = double.PositiveInfinity;
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]))
        {
            var members = group.ToArray();
            if (members.Length < 2) continue;
            var local = new Dictionary<int, int>();
            for (int t = 0; t < members.Length; t++) local[members[t]] = t;
            var r = new List<int>(); var c = new List<int>(); var v = new List<double>();
            for (int t = 0; t < members.Length; t++)
            {
                var idx = weights.RowIndices(members[t]);
                var val = weights.RowValues(members[t]);
                for (int s = 0; s < idx.Length; s++)
                    if (local.TryGetValue(idx[s], out int j)) { r.Add(t); c.Add(j); v.Add(val[s]); }
            }
            var sub = SparseMatrix.FromTriplets(members.Length, members.Length, r.ToArray(), c.ToArray(), v.ToArray());
            if (sub.RowSums().Any(d => d <= 0)) return 0; // an isolated member: disconnected
            var (values, _) = SymmetricEigensolver.LargestOfNormalizedAdjacency(sub, 2, seed: 0);
            best = Math.Min(best, Math.Max(0, 1 - values[1]));
        }
        return double.IsFinite(best) ? best : 0;
    }

    private static void Check(SparseMatrix m, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != m.Rows)
            throw new ArgumentException($"Expected one label per sample ({m.Rows}). Got {labels.Count} instead.", nameof(labels));
    }
}

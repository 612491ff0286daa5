namespace MLNet.Subspace.Numerics.Metrics;

/// <summary>External clustering scores of predicted labels against true labels (any integers: both are renumbered 0..k−1 first,
/// so sparse or negative values give the same answer as the dense labels they stand for).</summary>
public static class ClusteringMetrics
{
    /// <summary>Share of samples correctly labelled under the best one-to-one matching of clusters to classes (Hungarian, O(k³)).</summary>
    /// <param name="truth">True classes.</param>
    /// <param name="predicted">Cluster labels.</param>
    public static double Accuracy(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        var m = Contingency(truth, predicted, out int rows, out int cols);
        int k = Math.Max(rows, cols);
        var cost = new double[k, k];
        double max = 0;
        for (int a = 0; a < rows; a++) for (int b = 0; b < cols; b++) max = Math.Max(max, m[a, b]);
        for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) cost[a, b] = max - (a < rows && b < cols ? m[a, b] : 0);
        var assign = Hungarian.Solve(cost);
        double hit = 0;
        for (int a = 0; a < rows; a++) if (assign[a] < cols) hit += m[a, assign[a]];
        return hit / truth.Count;
    }

    /// <summary>Normalised mutual information, arithmetic mean normalisation (scikit-learn's default); 1 when both labelings have one cluster.</summary>
    /// <param name="truth">True classes.</param>
    /// <param name="predicted">Cluster labels.</param>
    public static double NormalizedMutualInformation(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
        => NormalizedMutualInformation(truth, predicted, NmiNormalization.Arithmetic);

    /// <summary>Normalised mutual information I(truth; predicted) / the chosen normaliser (see <see cref="NmiNormalization"/>);
    /// 1 when both labelings have one cluster, 0 when the normaliser is 0 otherwise.</summary>
    /// <param name="truth">True classes.</param>
    /// <param name="predicted">Cluster labels.</param>
    /// <param name="normalization">What to divide the mutual information by.</param>
    public static double NormalizedMutualInformation(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, NmiNormalization normalization)
    {
        var m = Contingency(truth, predicted, out int rows, out int cols);
        double n = truth.Count;
        var a = new double[rows];
        var b = new double[cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) { a[i] += m[i, j]; b[j] += m[i, j]; }
        int usedRows = a.Count(v => v > 0), usedCols = b.Count(v => v > 0);
        if (usedRows == 1 && usedCols == 1) return 1.0;
        double mi = 0;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                if (m[i, j] > 0) mi += m[i, j] / n * Math.Log(n * m[i, j] / (a[i] * b[j]));
        double ha = Entropy(a, n), hb = Entropy(b, n);
        double denom = normalization switch
        {
            NmiNormalization.Arithmetic => (ha + hb) / 2,
            NmiNormalization.TruthEntropy => ha,
            _ => throw new ArgumentOutOfRangeException(nameof(normalization), $"Unknown NMI normalisation {normalization}."),
        };
        return mi <= 0 || denom <= 0 ? 0 : Math.Min(1.0, mi / denom);
    }

    /// <summary>Adjusted Rand index (scikit-learn's pair-confusion form); 1 for identical partitions.</summary>
    /// <param name="truth">True classes.</param>
    /// <param name="predicted">Cluster labels.</param>
    public static double AdjustedRandIndex(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        var m = Contingency(truth, predicted, out int rows, out int cols);
        double n = truth.Count;
        double sumSq = 0;
        var a = new double[rows];
        var b = new double[cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) { sumSq += m[i, j] * m[i, j]; a[i] += m[i, j]; b[j] += m[i, j]; }
        double sa = a.Sum(v => v * v), sb = b.Sum(v => v * v);
        double tp = sumSq - n, fp = sb - sumSq, fn = sa - sumSq, tn = n * n - fp - fn - sumSq;
        if (fn == 0 && fp == 0) return 1.0;
        return 2 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
    }

    private static double Entropy(double[] counts, double n)
    {
        double h = 0;
        foreach (double c in counts) if (c > 0) h -= c / n * Math.Log(c / n);
        return h;
    }

    private static double[,] Contingency(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, out int rows, out int cols)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        if (truth.Count != predicted.Count)
            throw new ArgumentException($"Expected as many predicted labels as true labels ({truth.Count}). Got {predicted.Count} instead.", nameof(predicted));
        if (truth.Count == 0) throw new ArgumentException("Expected at least one label. Got none.", nameof(truth));
        var (t, tc) = DenseLabels.Remap(truth);
        var (p, pc) = DenseLabels.Remap(predicted);
        rows = tc; cols = pc;
        var m = new double[rows, cols];
        for (int i = 0; i < t.Length; i++) m[t[i], p[i]]++;
        return m;
    }
}

/// <summary>The Hungarian (Kuhn–Munkres) algorithm for square minimum-cost assignment, O(k³).</summary>
internal static class Hungarian
{
    /// <summary>Assignment minimising the total cost: result[row] = column.</summary>
    /// <param name="cost">k x k costs.</param>
    public static int[] Solve(double[,] cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        int n = cost.GetLength(0);
        if (cost.GetLength(1) != n) throw new ArgumentException($"The cost matrix must be square. Got {n}x{cost.GetLength(1)} instead.", nameof(cost));
        var u = new double[n + 1];
        var v = new double[n + 1];
        var p = new int[n + 1];
        var way = new int[n + 1];
        for (int i = 1; i <= n; i++)
        {
            p[0] = i;
            int j0 = 0;
            var minv = Enumerable.Repeat(double.PositiveInfinity, n + 1).ToArray();
            var used = new bool[n + 1];
            do
            {
                used[j0] = true;
                int i0 = p[j0], j1 = 0;
                double delta = double.PositiveInfinity;
                for (int j = 1; j <= n; j++)
                {
                    if (used[j]) continue;
                    double cur = cost[i0 - 1, j - 1] - u[i0] - v[j];
                    if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
                    if (minv[j] < delta) { delta = minv[j]; j1 = j; }
                }
                for (int j = 0; j <= n; j++)
                {
                    if (used[j]) { u[p[j]] += delta; v[j] -= delta; }
                    else minv[j] -= delta;
                }
                j0 = j1;
            } while (p[j0] != 0);
            do { int j1 = way[j0]; p[j0] = p[j1]; j0 = j1; } while (j0 != 0);
        }
        var result = new int[n];
        for (int j = 1; j <= n; j++) if (p[j] != 0) result[p[j] - 1] = j - 1;
        return result;
    }
}

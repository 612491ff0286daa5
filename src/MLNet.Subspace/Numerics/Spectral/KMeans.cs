namespace MLNet.Subspace.Numerics.Spectral;

/// <summary>
/// Lloyd's k-means with k-means++ seeding and several restarts (the lowest inertia wins), deterministic for a seed.
/// </summary>
/// <remarks>
/// Chosen over ML.NET's KMeans trainer because spectral clustering needs scikit-learn's semantics — n_init independent
/// k-means++ restarts keeping the lowest inertia, reproducible from one seed — on an in-memory N x k embedding; the trainer
/// runs one initialisation and wants an IDataView. The embedding is small (k columns), so plain arrays beat tensors here:
/// each Lloyd step is O(N k d) with no per-operation overhead (measured: tensor ops made k-means the slowest part of
/// spectral clustering on a loaded machine). Restarts run in parallel.
/// </remarks>
internal static class KMeans
{
    /// <summary>Clusters the rows of <paramref name="points"/> (N x dims, row-major).</summary>
    /// <param name="points">Row-major points.</param>
    /// <param name="dims">Columns per point.</param>
    /// <param name="clusters">k, in [1, N].</param>
    /// <param name="seed">Seed.</param>
    /// <param name="restarts">Independent k-means++ starts.</param>
    /// <param name="maximumIterations">Lloyd steps per start.</param>
    /// <returns>Labels in [0, k) and the best inertia.</returns>
    public static (int[] Labels, double Inertia) Fit(double[] points, int dims, int clusters, int seed, int restarts = 20, int maximumIterations = 300)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (dims < 1) throw new ArgumentOutOfRangeException(nameof(dims), $"Points must have at least one coordinate. Got {dims} instead.");
        int n = points.Length / dims;
        if (clusters < 1 || clusters > n)
            throw new ArgumentOutOfRangeException(nameof(clusters), $"The number of clusters must be an integer in [1, N] = [1, {n}]. Got {clusters} instead.");
        if (restarts < 1) throw new ArgumentOutOfRangeException(nameof(restarts), $"The number of restarts must be 1 or more. Got {restarts} instead.");
        var master = new Random(seed);
        var seeds = Enumerable.Range(0, restarts).Select(_ => master.Next()).ToArray();
        var runs = new (int[] Labels, double Inertia)[restarts];
        Parallel.For(0, restarts, r => runs[r] = Run(points, n, dims, clusters, new Random(seeds[r]), maximumIterations));
        var best = runs[0];
        for (int r = 1; r < restarts; r++) if (runs[r].Inertia < best.Inertia) best = runs[r]; // ties: the earliest restart
        return best;
    }

    private static (int[], double) Run(double[] x, int n, int d, int k, Random rng, int maximumIterations)
    {
        var centers = PlusPlus(x, n, d, k, rng);
        var labels = new int[n];
        var dist = new double[n];
        double inertia = double.PositiveInfinity;
        for (int it = 0; it < maximumIterations; it++)
        {
            bool changed = false;
            inertia = 0;
            for (int i = 0; i < n; i++)
            {
                int best = 0;
                double bestD = double.PositiveInfinity;
                for (int c = 0; c < k; c++)
                {
                    double s = Distance(x, i, centers, c, d);
                    if (s < bestD) { bestD = s; best = c; }
                }
                changed |= labels[i] != best;
                labels[i] = best;
                dist[i] = bestD;
                inertia += bestD;
            }
            if (it > 0 && !changed) break;
            var sums = new double[k * d];
            var counts = new int[k];
            for (int i = 0; i < n; i++)
            {
                counts[labels[i]]++;
                for (int j = 0; j < d; j++) sums[labels[i] * d + j] += x[i * d + j];
            }
            for (int c = 0; c < k; c++)
            {
                if (counts[c] == 0)
                {
                    // Re-seed an empty cluster at the point farthest from its centre.
                    int far = Array.IndexOf(dist, dist.Max());
                    for (int j = 0; j < d; j++) centers[c * d + j] = x[far * d + j];
                    dist[far] = 0;
                    continue;
                }
                for (int j = 0; j < d; j++) centers[c * d + j] = sums[c * d + j] / counts[c];
            }
        }
        return (labels, inertia);
    }

    private static double[] PlusPlus(double[] x, int n, int d, int k, Random rng)
    {
        var centers = new double[k * d];
        var closest = new double[n];
        int first = rng.Next(n);
        Array.Copy(x, first * d, centers, 0, d);
        for (int i = 0; i < n; i++) closest[i] = Distance(x, i, centers, 0, d);
        for (int c = 1; c < k; c++)
        {
            double total = closest.Sum();
            int pick = n - 1;
            if (!(total > 0)) pick = rng.Next(n);
            else
            {
                double u = rng.NextDouble() * total, acc = 0;
                for (int i = 0; i < n; i++) { acc += closest[i]; if (acc >= u) { pick = i; break; } }
            }
            Array.Copy(x, pick * d, centers, c * d, d);
            for (int i = 0; i < n; i++) closest[i] = Math.Min(closest[i], Distance(x, i, centers, c, d));
        }
        return centers;
    }

    private static double Distance(double[] x, int i, double[] centers, int c, int d)
    {
        double s = 0;
        for (int j = 0; j < d; j++) { double t = x[i * d + j] - centers[c * d + j]; s += t * t; }
        return s;
    }
}

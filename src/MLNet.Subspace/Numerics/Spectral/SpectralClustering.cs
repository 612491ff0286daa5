namespace MLNet.Subspace.Numerics.Spectral;

/// <summary>
/// Normalised spectral clustering (Ng–Jordan–Weiss, as in Elhamifar–Vidal and the peer): the k eigenvectors of the
/// smallest eigenvalues of L<sub>sym</sub> = I − D<sup>−1/2</sup>WD<sup>−1/2</sup>, rows scaled to unit length, then k-means.
/// </summary>
/// <remarks>Cost: dense route O(N³) time, 24N² bytes, for N ≤ <see cref="DenseLimit"/>; otherwise block Krylov on the sparse graph,
/// O(restarts · q · (nnz + N q k) · k), then k-means O(restarts · iterations · N k²).</remarks>
public static class SpectralClustering
{
    /// <summary>Largest N for which <see cref="Cluster"/> and <see cref="Embed"/> take the dense eigensolver by default (docs/benchmarks.md has the measured switch point).</summary>
    public const int DenseLimit = SymmetricEigensolver.DenseLimit;

    /// <summary>Cluster labels of the nodes of W.</summary>
    /// <param name="weights">Symmetric non-negative W (N x N).</param>
    /// <param name="clusters">k, in [1, N].</param>
    /// <param name="seed">Seed for the eigensolver start and k-means.</param>
    /// <param name="restarts">k-means restarts (20 as the peer).</param>
    /// <param name="dense">Force the dense or the iterative eigensolver; null chooses by size.</param>
    public static int[] Cluster(SparseMatrix weights, int clusters, int seed = 0, int restarts = 20, bool? dense = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        int n = weights.Rows;
        if (clusters < 1 || clusters > n)
            throw new ArgumentOutOfRangeException(nameof(clusters), $"The number of clusters must be an integer in [1, N] = [1, {n}]. Got {clusters} instead.");
        var embedding = Embed(weights, clusters, seed, dense);
        return KMeans.Fit(embedding, clusters, clusters, seed, restarts).Labels;
    }

    /// <summary>The row-normalised spectral embedding (N x k, row-major) used for clustering.</summary>
    /// <param name="weights">W.</param>
    /// <param name="dimensions">k.</param>
    /// <param name="seed">Seed.</param>
    /// <param name="dense">Route override.</param>
    public static double[] Embed(SparseMatrix weights, int dimensions, int seed = 0, bool? dense = null)
    {
        var (_, v) = SymmetricEigensolver.LargestOfNormalizedAdjacency(weights, dimensions, seed, dense);
        int n = weights.Rows;
        for (int i = 0; i < n; i++)
        {
            var row = v.AsSpan(i * dimensions, dimensions);
            double norm = 0;
            foreach (double a in row) norm += a * a;
            norm = Math.Max(Math.Sqrt(norm), 1e-12);
            for (int c = 0; c < dimensions; c++) row[c] /= norm;
        }
        return v;
    }

    /// <summary>
    /// A 2-D spectral embedding for plots: the 2nd and 3rd eigenvectors of L<sub>sym</sub> scaled by D<sup>−1/2</sup>
    /// (the first is trivial), N x 2 row-major.
    /// </summary>
    /// <param name="weights">W.</param>
    /// <param name="seed">Seed.</param>
    public static double[] Embed2D(SparseMatrix weights, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(weights);
        int n = weights.Rows;
        if (n < 3) throw new ArgumentException($"A 2-D spectral embedding needs at least 3 nodes. Got {n} instead.", nameof(weights));
        var (_, v) = SymmetricEigensolver.LargestOfNormalizedAdjacency(weights, 3, seed);
        var deg = weights.RowSums();
        var xy = new double[2 * n];
        for (int i = 0; i < n; i++)
        {
            double s = deg[i] > 0 ? 1 / Math.Sqrt(deg[i]) : 0;
            xy[2 * i] = v[3 * i + 1] * s;
            xy[2 * i + 1] = v[3 * i + 2] * s;
        }
        return xy;
    }
}

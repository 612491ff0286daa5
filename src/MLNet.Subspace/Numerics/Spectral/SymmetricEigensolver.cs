using MLNet.Subspace.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Spectral;

/// <summary>
/// The largest eigenpairs of the normalised adjacency M = D<sup>−1/2</sup> W D<sup>−1/2</sup> (equivalently the smallest of
/// L<sub>sym</sub> = I − M), densely for small graphs and by a restarted block Krylov method for large sparse ones.
/// </summary>
internal static class SymmetricEigensolver
{
    /// <summary>
    /// Largest N for which the dense route (torch.linalg.eigh, O(N³) time, 8N² bytes) is used by default: measured switch point
    /// on 10-cluster SSC-like graphs (docs/benchmarks.md, bench/spectral/run.sh): dense is faster up to N ≈ 400, block Krylov beyond.
    /// </summary>
    public const int DenseLimit = 400;

    /// <summary>Residual ||M v − θ v|| at which the block Krylov route stops: eigenvalues then agree with the dense route's to ~1e-16 (residual² / gap).</summary>
    internal const double Tolerance = 1e-10;

    /// <summary>The <paramref name="count"/> largest eigenvalues (descending) of M and their eigenvectors (N x count, float64, row-major).</summary>
    /// <param name="weights">Symmetric non-negative W.</param>
    /// <param name="count">How many eigenpairs.</param>
    /// <param name="seed">Seed of the random start block (iterative route).</param>
    /// <param name="dense">Force the dense (true) or iterative (false) route; null chooses by <see cref="DenseLimit"/>.</param>
    public static (double[] Values, double[] Vectors) LargestOfNormalizedAdjacency(SparseMatrix weights, int count, int seed = 0, bool? dense = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        int n = weights.Rows;
        if (count < 1 || count > n) throw new ArgumentOutOfRangeException(nameof(count), $"The number of eigenvectors must be in [1, N] = [1, {n}]. Got {count} instead.");
        var m = NormalizedAdjacency(weights);
        if ((dense ?? n <= DenseLimit) || n <= 3 * (count + 10)) return Dense(m, count);
        // The Krylov work is many small dense operations: one intra-op thread avoids thread wake-ups that dominate them
        // (measured 7x faster on a loaded 2-core machine).
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try { return BlockKrylov(m, count, seed); }
        finally { torch.set_num_threads(threads); }
    }

    /// <summary>M = D<sup>−1/2</sup> W D<sup>−1/2</sup>; isolated nodes get a zero row.</summary>
    /// <param name="w">W.</param>
    public static SparseMatrix NormalizedAdjacency(SparseMatrix w)
    {
        var deg = w.RowSums();
        var inv = deg.Select(d => d > 0 ? 1 / Math.Sqrt(d) : 0).ToArray();
        var rows = new int[w.NonZeroCount];
        var vals = new double[w.NonZeroCount];
        for (int i = 0; i < w.Rows; i++)
            for (int t = w.RowPointers[i]; t < w.RowPointers[i + 1]; t++)
            {
                rows[t] = i;
                vals[t] = w.Values[t] * inv[i] * inv[w.ColumnIndices[t]];
            }
        return SparseMatrix.FromTriplets(w.Rows, w.Columns, rows, w.ColumnIndices, vals);
    }

    private static (double[], double[]) Dense(SparseMatrix m, int count)
    {
        int n = m.Rows;
        // The matrix, its eigenvectors and LAPACK's workspace: about three N x N float64 arrays.
        MemoryBudget.Check($"The dense eigensolver for a {n}-node graph", 3L * n * n * sizeof(double), MemoryBudget.AvailableBytes(),
            "Use the iterative route (dense: false), which needs O(N k) memory.");
        using var scope = NewDisposeScope();
        var a = m.ToDenseTensor();
        var (w, v) = linalg.eigh(a); // ascending
        var top = v[.., (n - count)..].flip(1).contiguous();
        return (w[(n - count)..].flip(0).data<double>().ToArray(), top.data<double>().ToArray());
    }

    /// <summary>
    /// Restarted block Krylov (block Lanczos with full reorthogonalisation and Rayleigh–Ritz): on M + I (spectrum in [0, 2]),
    /// builds span{Q, AQ, …, A<sup>q</sup>Q} with block p = count + 8, keeps the best p Ritz vectors and restarts until every wanted
    /// residual ||A v − θ v|| ≤ <see cref="Tolerance"/> (or 60 restarts). Cost per restart O(q (nnz p + N (q p)²)), memory O(N q p)
    /// (N = 100,000, k = 10: K and A K are two 234-column buffers, 375 MB). Deterministic: the start block comes from the seed and the sparse
    /// products write each row once.
    /// </summary>
    private static (double[], double[]) BlockKrylov(SparseMatrix m, int count, int seed)
    {
        int n = m.Rows, p = Math.Min(n, count + 8), q = Math.Max(2, Math.Min(12, n / p - 1));
        var rng = new Random(seed);
        var start = new double[(long)n * p];
        for (long t = 0; t < start.LongLength; t++) start[t] = rng.NextDouble() - 0.5;
        using var outer = NewDisposeScope();
        var block = tensor(start, [n, p], ScalarType.Float64);
        double[] values = [];
        Tensor ritz = block;
        // The basis K and A K live in two preallocated N x (q+1)p buffers (no per-step concatenation); A Q_j is the product
        // that extends the basis, kept before orthogonalisation, so Rayleigh–Ritz needs one extra sparse product, not q + 1.
        int width = (q + 1) * p;
        var k = empty(n, width, float64);
        var ak = empty(n, width, float64);
        for (int restart = 0; restart < 60; restart++)
        {
            using var scope = NewDisposeScope();
            k.narrow(1, 0, p).copy_(linalg.qr(block).Q);
            for (int j = 0; j <= q; j++)
            {
                using var step = NewDisposeScope();
                var next = Apply(m, k.narrow(1, j * p, p));
                ak.narrow(1, j * p, p).copy_(next);
                if (j == q) break;
                var done = k.narrow(1, 0, (j + 1) * p);
                next = next - done.matmul(done.t().matmul(next));
                next = next - done.matmul(done.t().matmul(next)); // second pass (classical Gram–Schmidt twice)
                k.narrow(1, (j + 1) * p, p).copy_(linalg.qr(next).Q);
            }
            var t = k.t().matmul(ak);
            t = (t + t.t()) / 2;
            var (theta, y) = linalg.eigh(t);
            var order = arange(width - 1, width - 1 - p, -1, dtype: ScalarType.Int64);
            var top = y.index_select(1, order);
            var vecs = k.matmul(top);
            var vals = theta.index_select(0, order);
            var resid = (ak.matmul(top) - vecs * vals.unsqueeze(0)).norm(0);
            double worst = resid[..count].max().item<double>();
            ritz.Dispose(); // the previous Ritz block (or the start block): already consumed by this restart's QR
            ritz = vecs.MoveToOuterDisposeScope();
            values = vals[..count].data<double>().ToArray();
            block = ritz;
            if (worst <= Tolerance) break;
        }
        // Eigenvalues of M + I minus 1 are those of M.
        return (values.Select(v => v - 1).ToArray(), ritz[.., ..count].contiguous().data<double>().ToArray());
    }

    /// <summary>(M + I) X.</summary>
    private static Tensor Apply(SparseMatrix m, Tensor x)
    {
        int p = (int)x.shape[1];
        var xs = x.contiguous().data<double>().ToArray();
        var y = SparseOps.Multiply(m, xs, p);
        for (long t = 0; t < y.LongLength; t++) y[t] += xs[t];
        return tensor(y, [m.Rows, p], ScalarType.Float64);
    }
}

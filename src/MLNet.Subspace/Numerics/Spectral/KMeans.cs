using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Spectral;

/// <summary>
/// Lloyd's k-means with k-means++ seeding and several restarts (the best inertia wins), on float64 tensors,
/// deterministic for a seed.
/// </summary>
/// <remarks>
/// Chosen over ML.NET's KMeans trainer because spectral clustering needs sklearn's semantics — n_init
/// independent k-means++ restarts keeping the lowest inertia, reproducible from one seed — on an in-memory
/// N x k embedding; the trainer runs one initialisation and wants an IDataView. Cost per Lloyd step O(N k d)
/// (one GEMM for the distances).
/// </remarks>
public static class KMeans
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
        int n = points.Length / dims;
        if (clusters < 1 || clusters > n)
            throw new ArgumentOutOfRangeException(nameof(clusters), $"The number of clusters must be an integer in [1, N] = [1, {n}]. Got {clusters} instead.");
        using var scope = NewDisposeScope();
        var x = tensor(points, [n, dims], ScalarType.Float64);
        var sq = x.square().sum(1, keepdim: true);
        var rng = new Random(seed);
        int[]? best = null;
        double bestInertia = double.PositiveInfinity;
        for (int r = 0; r < restarts; r++)
        {
            using var run = NewDisposeScope();
            var centers = PlusPlus(x, sq, clusters, rng);
            Tensor labels = zeros(n, dtype: ScalarType.Int64);
            double inertia = 0;
            for (int it = 0; it < maximumIterations; it++)
            {
                var dist = (sq - 2 * x.matmul(centers.t()) + centers.square().sum(1).unsqueeze(0)).clamp_min_(0);
                var (minDist, next) = dist.min(1);
                inertia = minDist.sum().item<double>();
                bool same = it > 0 && next.eq(labels).all().item<bool>();
                labels = next;
                if (same) break;
                var sums = zeros(clusters, dims, dtype: ScalarType.Float64).index_add_(0, labels, x, 1.0);
                var counts = bincount(labels, minlength: clusters).to(ScalarType.Float64);
                var empty = counts == 0;
                if (empty.any().item<bool>())
                {
                    // Re-seed an empty cluster at the point farthest from its centre.
                    var far = minDist.argmax().item<long>();
                    var e = empty.nonzero()[0, 0].item<long>();
                    sums[e] = x[far];
                    counts[e] = 1;
                }
                centers = sums / counts.unsqueeze(1);
            }
            if (inertia < bestInertia)
            {
                bestInertia = inertia;
                best = labels.to(ScalarType.Int32).data<int>().ToArray();
            }
        }
        return (best!, bestInertia);
    }

    private static Tensor PlusPlus(Tensor x, Tensor sq, int k, Random rng)
    {
        long n = x.shape[0];
        var chosen = new List<long> { rng.NextInt64(n) };
        var closest = (sq - 2 * x.matmul(x[chosen[0]].unsqueeze(1)) + sq[chosen[0]]).squeeze(1).clamp_min_(0);
        for (int c = 1; c < k; c++)
        {
            var weights = closest.data<double>().ToArray();
            double total = weights.Sum();
            long pick;
            if (!(total > 0)) pick = rng.NextInt64(n);
            else
            {
                double u = rng.NextDouble() * total, acc = 0;
                pick = n - 1;
                for (long i = 0; i < n; i++) { acc += weights[i]; if (acc >= u) { pick = i; break; } }
            }
            chosen.Add(pick);
            var d = (sq - 2 * x.matmul(x[pick].unsqueeze(1)) + sq[pick]).squeeze(1).clamp_min_(0);
            closest = minimum(closest, d);
        }
        return x.index_select(0, tensor(chosen.ToArray()));
    }
}

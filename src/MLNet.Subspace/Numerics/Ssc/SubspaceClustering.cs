using System.Diagnostics;
using MLNet.Subspace.Numerics.Graphs;
using MLNet.Subspace.Numerics.Spectral;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Ssc;

/// <summary>Sparse subspace clustering end to end with a given solver: solve → W = |C| + |C|<sup>T</sup> → spectral clustering (You et al.'s template). <see cref="SscOptions.Cluster"/> is the configured way in.</summary>
public static class SubspaceClustering
{
    /// <summary>Runs the pipeline.</summary>
    /// <param name="samples">N x D, one sample per row.</param>
    /// <param name="solver">The solver.</param>
    /// <param name="clusters">Number of clusters, in [2, N].</param>
    /// <param name="affinity">Graph post-processing; null keeps the codes as they are.</param>
    /// <param name="seed">Seed of the spectral step.</param>
    public static SscResult Run(Tensor samples, SelfExpressionSolver solver, int clusters, AffinityOptions? affinity = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(solver);
        long n = samples.shape[0];
        if (clusters < 2 || clusters > n)
            throw new ArgumentOutOfRangeException(nameof(clusters), $"The number of clusters must be an integer in [2, N] = [2, {n}]. Got {clusters} instead.");
        var expression = solver.Solve(samples);
        var clock = Stopwatch.StartNew();
        var graph = AffinityGraph.FromCodes(expression.Coefficients, affinity);
        var labels = SpectralClustering.Cluster(graph.Weights, clusters, seed);
        return new SscResult(expression, graph, labels, clock.Elapsed.TotalSeconds);
    }
}

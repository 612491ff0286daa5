using System.Diagnostics;
using MLNet.Subspace.Numerics.Graphs;
using MLNet.Subspace.Numerics.Spectral;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Ssc;

/// <summary>The SSC solvers by name.</summary>
public enum SscSolver
{
    /// <summary>Exact ADMM-Lasso (<see cref="AdmmLassoSolver"/>).</summary>
    Admm,
    /// <summary>The paper's ADMM, quirks included (<see cref="FaithfulAdmmSolver"/>).</summary>
    Faithful,
    /// <summary>Orthogonal matching pursuit (<see cref="OmpSolver"/>).</summary>
    Omp,
    /// <summary>Elastic net with an oracle-guided active set (<see cref="ElasticNetSolver"/>).</summary>
    ElasticNet,
}

/// <summary>Result of the whole SSC pipeline: codes, graph, clusters and phase timings.</summary>
/// <param name="Expression">The codes and solver diagnostics.</param>
/// <param name="Graph">W = |C| + |C|<sup>T</sup> after post-processing.</param>
/// <param name="Labels">Cluster of every sample.</param>
/// <param name="SpectralSeconds">Seconds of spectral clustering.</param>
public sealed record SscResult(SelfExpression Expression, AffinityGraph Graph, int[] Labels, double SpectralSeconds);

/// <summary>Sparse subspace clustering end to end: solve → W = |C| + |C|<sup>T</sup> → spectral clustering (You et al.'s template).</summary>
public static class SubspaceClustering
{
    /// <summary>Creates a solver with its defaults, overriding the few knobs the CLI and the estimator expose.</summary>
    /// <param name="solver">Which solver.</param>
    /// <param name="dtype">Element type of the dense work.</param>
    /// <param name="alpha">Regularisation α (ADMM: λ = α/μ<sub>z</sub>; EnSC: γ = α γ<sub>0</sub>); null keeps the solver default.</param>
    /// <param name="k">Non-zeros per code (OMP) or the active-set start size (EnSC); null keeps the default.</param>
    /// <param name="device">Torch device; null is the CPU.</param>
    public static SelfExpressionSolver CreateSolver(SscSolver solver, ScalarType dtype = ScalarType.Float32, double? alpha = null, int? k = null, Device? device = null) => solver switch
    {
        SscSolver.Admm => new AdmmLassoSolver { DType = dtype, Device = device, Alpha = alpha ?? AdmmLassoSolver.Defaults.Alpha },
        SscSolver.Faithful => new FaithfulAdmmSolver { DType = dtype == ScalarType.Float32 ? ScalarType.Float64 : dtype, Device = device, Tau = alpha ?? FaithfulAdmmSolver.Defaults.Tau },
        SscSolver.Omp => new OmpSolver { DType = dtype, Device = device, MaximumNonZeros = k ?? OmpSolver.Defaults.MaximumNonZeros },
        SscSolver.ElasticNet => new ElasticNetSolver { DType = dtype, Device = device, Alpha = alpha ?? ElasticNetSolver.Defaults.Alpha },
        _ => throw new ArgumentOutOfRangeException(nameof(solver), $"Unknown SSC solver {solver}."),
    };

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

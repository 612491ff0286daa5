using MLNet.Subspace.ML;
using MLNet.Subspace.Numerics.Graphs;
using MLNet.Subspace.Numerics.Ssc;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Analysis;

/// <summary>How every analysis builds a layer's SSC affinity graph.</summary>
public sealed record SscSettings
{
    /// <summary>The solver. Default: exact ADMM-Lasso, the paper's objective solved exactly.</summary>
    public SscSolver Solver { get; init; } = SscSolver.Admm;

    /// <summary>Regularisation α of the solver (see <see cref="SubspaceClustering.CreateSolver"/>); null keeps its default.</summary>
    public double? Alpha { get; init; }

    /// <summary>Non-zeros per code for OMP (or EnSC's initial support); null keeps the default.</summary>
    public int? NonZeros { get; init; }

    /// <summary>Post-processing of the codes into the graph; null keeps W = |C| + |C|^T as it is.</summary>
    public AffinityOptions? Affinity { get; init; }

    /// <summary>
    /// Scale every input's activation vector to unit length first (zero vectors stay zero). Default true:
    /// scaling a point keeps it in its subspace, so this changes no subspace, but it stops inputs with
    /// large activations from dominating the fit.
    /// </summary>
    public bool NormalizeInputs { get; init; } = true;

    /// <summary>Torch device; null means the CPU.</summary>
    public Device? Device { get; init; }

    /// <summary>A short description for manifests and reports.</summary>
    public string Describe() => $"{Solver}" + (Alpha is double a ? $", alpha={a}" : "") + (NonZeros is int k ? $", k={k}" : "") + (NormalizeInputs ? ", unit-norm inputs" : "");
}

/// <summary>One layer's affinity graph and how it was solved.</summary>
/// <param name="Layer">The layer's name.</param>
/// <param name="Features">d, the length of the layer's activation vector.</param>
/// <param name="Graph">W = |C| + |C|^T.</param>
/// <param name="Expression">The codes C and the solver's diagnostics.</param>
public sealed record LayerGraph(string Layer, int Features, AffinityGraph Graph, SelfExpression Expression);

/// <summary>Builds the SSC affinity graph of each layer of a set of activations.</summary>
/// <remarks>Cost per layer: the solver's (exact ADMM: one N x N x d Gram product plus O(N^2 r) per iteration).</remarks>
public static class LayerGraphs
{
    /// <summary>The graph of one layer.</summary>
    /// <param name="activations">The activations.</param>
    /// <param name="layer">Index of the layer.</param>
    /// <param name="settings">How to solve.</param>
    public static LayerGraph Build(LayerActivations activations, int layer, SscSettings settings)
    {
        ArgumentNullException.ThrowIfNull(activations);
        ArgumentNullException.ThrowIfNull(settings);
        if ((uint)layer >= (uint)activations.LayerNames.Count)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"Layer index must be in [0, {activations.LayerNames.Count}).");
        int n = activations.Count, d = activations.Size(layer);
        using var scope = NewDisposeScope();
        var x = torch.tensor(activations.Values[layer], [n, d]);
        if (settings.NormalizeInputs)
            x = x / x.norm(1, keepdim: true).clamp_min(1e-30f);
        var solver = SubspaceClustering.CreateSolver(settings.Solver, alpha: settings.Alpha, k: settings.NonZeros, device: settings.Device);
        var expression = solver.Solve(x);
        var graph = AffinityGraph.FromCodes(expression.Coefficients, settings.Affinity);
        return new LayerGraph(activations.LayerNames[layer], d, graph, expression);
    }

    /// <summary>The graphs of every layer, in layer order.</summary>
    /// <param name="activations">The activations.</param>
    /// <param name="settings">How to solve.</param>
    /// <param name="progress">Receives the name of each layer as it starts, or null.</param>
    public static IReadOnlyList<LayerGraph> BuildAll(LayerActivations activations, SscSettings settings, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(activations);
        var graphs = new List<LayerGraph>(activations.LayerNames.Count);
        for (int l = 0; l < activations.LayerNames.Count; l++)
        {
            progress?.Report(activations.LayerNames[l]);
            graphs.Add(Build(activations, l, settings));
        }
        return graphs;
    }
}

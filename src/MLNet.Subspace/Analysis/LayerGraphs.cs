using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Numerics.Ssc;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Analysis;

/// <summary>Builds the SSC affinity graph of each layer of a set of activations.</summary>
/// <remarks>Cost per layer: the solver's (exact ADMM: one N x N x d Gram product plus O(N^2 r) per iteration). The <c>SscAffinity</c> estimator builds the same graph from the same samples and <see cref="SscOptions"/>.</remarks>
public static class LayerGraphs
{
    /// <summary>The graph of one layer.</summary>
    /// <param name="activations">The activations.</param>
    /// <param name="layer">Index of the layer.</param>
    /// <param name="options">How to solve and build the graph.</param>
    public static LayerGraph Build(LayerActivations activations, int layer, SscOptions options)
    {
        ArgumentNullException.ThrowIfNull(activations);
        ArgumentNullException.ThrowIfNull(options);
        if ((uint)layer >= (uint)activations.LayerNames.Count)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"Layer index must be in [0, {activations.LayerNames.Count}).");
        int n = activations.Count, d = activations.Size(layer);
        using var scope = NewDisposeScope();
        var (expression, graph) = options.BuildGraph(torch.tensor(activations.Values[layer], [n, d]));
        return new LayerGraph(activations.LayerNames[layer], d, graph, expression);
    }

    /// <summary>The graphs of every layer, in layer order.</summary>
    /// <param name="activations">The activations.</param>
    /// <param name="options">How to solve and build the graph.</param>
    /// <param name="progress">Receives the name of each layer as it starts, or null.</param>
    public static IReadOnlyList<LayerGraph> BuildAll(LayerActivations activations, SscOptions options, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(activations);
        var graphs = new List<LayerGraph>(activations.LayerNames.Count);
        for (int l = 0; l < activations.LayerNames.Count; l++)
        {
            progress?.Report(activations.LayerNames[l]);
            graphs.Add(Build(activations, l, options));
        }
        return graphs;
    }
}

using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Numerics.Graphs;
using MLNet.Subspace.Numerics.Metrics;
using MLNet.Subspace.Numerics.Spectral;

namespace MLNet.Subspace.Analysis;

/// <summary>How class-structured each layer is: modularity of its affinity graph against the true classes and against detected communities, sparsity, and spectral clustering quality.</summary>
public static class LayerwiseAnalysis
{
    /// <summary>Measures every layer.</summary>
    /// <param name="activations">The activations (with true labels).</param>
    /// <param name="graphs">Their graphs, in layer order (see <see cref="LayerGraphs.BuildAll"/>).</param>
    /// <param name="seed">Seed for Louvain and spectral clustering.</param>
    public static LayerwiseResult Run(LayerActivations activations, IReadOnlyList<LayerGraph> graphs, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(activations);
        ArgumentNullException.ThrowIfNull(graphs);
        int[] labels = activations.Labels ?? throw new ArgumentException("The layer-wise analysis needs the true labels of the probe inputs.", nameof(activations));
        if (graphs.Count == 0) throw new ArgumentException("There are no layers to analyse.", nameof(graphs));
        // As many clusters as true classes, which accuracy, NMI and ARI compare with: the network's own output may
        // score another label set (an ImageNet featurizer read on Fashion-MNIST probes).
        int classes = labels.Length == 0 ? activations.Classes : labels.Max() + 1;
        var rows = new List<LayerwiseRow>(graphs.Count);
        for (int l = 0; l < graphs.Count; l++)
        {
            var g = graphs[l];
            if (g.Graph.Count != labels.Length)
                throw new ArgumentException($"The graph of layer '{g.Layer}' has {g.Graph.Count} nodes but there are {labels.Length} labelled inputs.", nameof(graphs));
            var louvain = Louvain.Detect(g.Graph.Weights, seed);
            var clusters = SpectralClustering.Cluster(g.Graph.Weights, classes, seed);
            rows.Add(new LayerwiseRow(l, g.Layer, g.Features, Modularity.Compute(g.Graph.Weights, labels), louvain.Modularity, louvain.Count,
                g.Expression.NonZerosPerSample, SelfExpressionMetrics.SubspacePreservingError(g.Expression.Coefficients, labels),
                ClusteringMetrics.Accuracy(labels, clusters), ClusteringMetrics.NormalizedMutualInformation(labels, clusters),
                ClusteringMetrics.AdjustedRandIndex(labels, clusters), g.Expression.Iterations, g.Expression.Converged, g.Expression.Seconds));
        }
        double rho = graphs.Count < 2 ? double.NaN
            : RankCorrelation.Spearman(Enumerable.Range(0, graphs.Count).Select(i => (double)i).ToArray(), rows.Select(r => r.Modularity).ToArray());
        return new LayerwiseResult(rows, rho);
    }
}

using Microsoft.Data.Analysis;
using MLNet.Subspace.ML;
using MLNet.Subspace.Numerics.Graphs;
using MLNet.Subspace.Numerics.Metrics;
using MLNet.Subspace.Numerics.Spectral;

namespace MLNet.Subspace.Analysis;

/// <summary>Per-layer class structure: one row per layer.</summary>
/// <param name="Table">Columns: layer_index, layer, features, modularity (against the true classes), louvain_modularity, communities, nnz_per_input, sp_error, spectral_accuracy, nmi, ari, solver_iterations, converged (whether the SSC solver met its tolerance before its iteration cap), solve_seconds.</param>
/// <param name="DepthModularityCorrelation">Spearman's rho between layer depth and modularity (the paper: deeper layers are more modular).</param>
public sealed record LayerwiseResult(DataFrame Table, double DepthModularityCorrelation)
{
    /// <summary>Modularity against the true classes, per layer.</summary>
    public double[] Modularity => Table.Columns["modularity"].Cast<double?>().Select(v => v ?? double.NaN).ToArray();
}

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
        int classes = activations.Classes;
        var index = new PrimitiveDataFrameColumn<int>("layer_index");
        var name = new StringDataFrameColumn("layer");
        var features = new PrimitiveDataFrameColumn<int>("features");
        var modularity = new DoubleDataFrameColumn("modularity");
        var louvainQ = new DoubleDataFrameColumn("louvain_modularity");
        var communities = new PrimitiveDataFrameColumn<int>("communities");
        var nnz = new DoubleDataFrameColumn("nnz_per_input");
        var spError = new DoubleDataFrameColumn("sp_error");
        var accuracy = new DoubleDataFrameColumn("spectral_accuracy");
        var nmi = new DoubleDataFrameColumn("nmi");
        var ari = new DoubleDataFrameColumn("ari");
        var iterations = new PrimitiveDataFrameColumn<int>("solver_iterations");
        var converged = new BooleanDataFrameColumn("converged");
        var seconds = new DoubleDataFrameColumn("solve_seconds");
        for (int l = 0; l < graphs.Count; l++)
        {
            var g = graphs[l];
            if (g.Graph.Count != labels.Length)
                throw new ArgumentException($"The graph of layer '{g.Layer}' has {g.Graph.Count} nodes but there are {labels.Length} labelled inputs.", nameof(graphs));
            var louvain = Louvain.Detect(g.Graph.Weights, seed);
            var clusters = SpectralClustering.Cluster(g.Graph.Weights, classes, seed);
            index.Append(l);
            name.Append(g.Layer);
            features.Append(g.Features);
            modularity.Append(Modularity.Compute(g.Graph.Weights, labels));
            louvainQ.Append(louvain.Modularity);
            communities.Append(louvain.Count);
            nnz.Append(g.Expression.NonZerosPerSample);
            spError.Append(SelfExpressionMetrics.SubspacePreservingError(g.Expression.Coefficients, labels));
            accuracy.Append(ClusteringMetrics.Accuracy(labels, clusters));
            nmi.Append(ClusteringMetrics.NormalizedMutualInformation(labels, clusters));
            ari.Append(ClusteringMetrics.AdjustedRandIndex(labels, clusters));
            iterations.Append(g.Expression.Iterations);
            converged.Append(g.Expression.Converged);
            seconds.Append(g.Expression.Seconds);
        }
        var table = new DataFrame(index, name, features, modularity, louvainQ, communities, nnz, spError, accuracy, nmi, ari, iterations, converged, seconds);
        double rho = graphs.Count < 2 ? double.NaN
            : RankCorrelation.Spearman(Enumerable.Range(0, graphs.Count).Select(i => (double)i).ToArray(), modularity.Select(v => v ?? double.NaN).ToArray());
        return new LayerwiseResult(table, rho);
    }
}

using Microsoft.Data.Analysis;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Numerics.Graphs;
using MLNet.Subspace.Numerics.Metrics;
using MLNet.Subspace.Numerics.Spectral;

namespace MLNet.Subspace.Analysis;

/// <summary>One layer's class structure.</summary>
/// <param name="LayerIndex">Position of the layer, 0 = first.</param>
/// <param name="Layer">The layer's name.</param>
/// <param name="Features">d, the length of its activation vector.</param>
/// <param name="Modularity">Newman's Q of its SSC graph against the true classes.</param>
/// <param name="LouvainModularity">Q of the communities Louvain finds.</param>
/// <param name="Communities">How many communities Louvain finds.</param>
/// <param name="NonZerosPerInput">Average non-zeros per SSC code.</param>
/// <param name="SubspacePreservingError">Share of code mass on inputs of other classes.</param>
/// <param name="SpectralAccuracy">Hungarian-matched accuracy of spectral clustering of the graph.</param>
/// <param name="Nmi">Normalised mutual information of the same clusters.</param>
/// <param name="Ari">Adjusted Rand index of the same clusters.</param>
/// <param name="SolverIterations">Iterations (or greedy steps) the SSC solver ran.</param>
/// <param name="Converged">Whether the SSC solver met its tolerance before its iteration cap.</param>
/// <param name="SolveSeconds">Seconds of the SSC solve.</param>
public sealed record LayerwiseRow(int LayerIndex, string Layer, int Features, double Modularity, double LouvainModularity, int Communities,
    double NonZerosPerInput, double SubspacePreservingError, double SpectralAccuracy, double Nmi, double Ari, int SolverIterations, bool Converged, double SolveSeconds);

/// <summary>Per-layer class structure: one row per layer.</summary>
/// <param name="Layers">The rows, in layer order.</param>
/// <param name="DepthModularityCorrelation">Spearman's rho between layer depth and modularity (the paper: deeper layers are more modular).</param>
public sealed record LayerwiseResult(IReadOnlyList<LayerwiseRow> Layers, double DepthModularityCorrelation)
{
    /// <summary>The column names of <see cref="Table"/> and of layerwise.csv, which the comparison report reads back.</summary>
    public static class Columns
    {
        /// <summary>layer_index.</summary>
        public const string LayerIndex = "layer_index";
        /// <summary>layer.</summary>
        public const string Layer = "layer";
        /// <summary>features.</summary>
        public const string Features = "features";
        /// <summary>modularity.</summary>
        public const string Modularity = "modularity";
        /// <summary>louvain_modularity.</summary>
        public const string LouvainModularity = "louvain_modularity";
        /// <summary>communities.</summary>
        public const string Communities = "communities";
        /// <summary>nnz_per_input.</summary>
        public const string NonZerosPerInput = "nnz_per_input";
        /// <summary>sp_error.</summary>
        public const string SubspacePreservingError = "sp_error";
        /// <summary>spectral_accuracy.</summary>
        public const string SpectralAccuracy = "spectral_accuracy";
        /// <summary>nmi.</summary>
        public const string Nmi = "nmi";
        /// <summary>ari.</summary>
        public const string Ari = "ari";
        /// <summary>solver_iterations.</summary>
        public const string SolverIterations = "solver_iterations";
        /// <summary>converged.</summary>
        public const string Converged = "converged";
        /// <summary>solve_seconds.</summary>
        public const string SolveSeconds = "solve_seconds";
    }

    /// <summary>Modularity against the true classes, per layer.</summary>
    public double[] Modularity => Layers.Select(r => r.Modularity).ToArray();

    /// <summary>The rows as a DataFrame, one column per field (names in <see cref="Columns"/>).</summary>
    public DataFrame Table => new(
        new PrimitiveDataFrameColumn<int>(Columns.LayerIndex, Layers.Select(r => r.LayerIndex)),
        new StringDataFrameColumn(Columns.Layer, Layers.Select(r => r.Layer)),
        new PrimitiveDataFrameColumn<int>(Columns.Features, Layers.Select(r => r.Features)),
        new DoubleDataFrameColumn(Columns.Modularity, Layers.Select(r => r.Modularity)),
        new DoubleDataFrameColumn(Columns.LouvainModularity, Layers.Select(r => r.LouvainModularity)),
        new PrimitiveDataFrameColumn<int>(Columns.Communities, Layers.Select(r => r.Communities)),
        new DoubleDataFrameColumn(Columns.NonZerosPerInput, Layers.Select(r => r.NonZerosPerInput)),
        new DoubleDataFrameColumn(Columns.SubspacePreservingError, Layers.Select(r => r.SubspacePreservingError)),
        new DoubleDataFrameColumn(Columns.SpectralAccuracy, Layers.Select(r => r.SpectralAccuracy)),
        new DoubleDataFrameColumn(Columns.Nmi, Layers.Select(r => r.Nmi)),
        new DoubleDataFrameColumn(Columns.Ari, Layers.Select(r => r.Ari)),
        new PrimitiveDataFrameColumn<int>(Columns.SolverIterations, Layers.Select(r => r.SolverIterations)),
        new BooleanDataFrameColumn(Columns.Converged, Layers.Select(r => r.Converged)),
        new DoubleDataFrameColumn(Columns.SolveSeconds, Layers.Select(r => r.SolveSeconds)));
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

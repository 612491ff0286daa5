using Microsoft.Data.Analysis;

namespace MLNet.Subspace.Analysis;

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

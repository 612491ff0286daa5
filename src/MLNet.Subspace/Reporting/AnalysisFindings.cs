using MLNet.Subspace.Analysis;
using MLNet.Subspace.Data;
using MLNet.Subspace.Models.Training;

namespace MLNet.Subspace.Reporting;

/// <summary>Everything one analysis run found, ready to be written out.</summary>
/// <param name="Title">The report title.</param>
/// <param name="Description">What was analysed, in a sentence or two.</param>
/// <param name="Probes">The probe images (for the neighbour galleries).</param>
/// <param name="Training">Per-epoch training metrics, or null for a model trained elsewhere.</param>
/// <param name="Layerwise">Per-layer class structure (final model).</param>
/// <param name="Architecture">The L x L SSC-CKA matrix and its blocks (final model).</param>
/// <param name="Dynamics">Per-epoch comparison with the final model, or null with a single snapshot.</param>
/// <param name="Embeddings">2-D embeddings of correctly classified inputs.</param>
/// <param name="Neighbourhoods">Misclassifications explained and SSC-vs-network agreement.</param>
/// <param name="Similarities">Extra layer-similarity matrices shown beside SSC-CKA (final model), or null for none.</param>
public sealed record AnalysisFindings(
    string Title,
    string Description,
    ImageDataset Probes,
    IReadOnlyList<EpochMetrics>? Training,
    LayerwiseResult Layerwise,
    ArchitectureResult Architecture,
    DynamicsResult? Dynamics,
    IReadOnlyList<LayerEmbedding> Embeddings,
    NeighbourhoodResult Neighbourhoods,
    IReadOnlyList<SimilarityMatrix>? Similarities = null)
{
    /// <summary>False when the network's output does not score the probes' classes (an ImageNet featurizer read on
    /// Fashion-MNIST): its accuracy and its agreement with SSC then mean nothing, and the report and console say so.</summary>
    public bool NetworkClassifiesProbes { get; init; } = true;

    /// <summary>Linear CKA between every pair of layers' activations (final model), shown beside SSC-CKA as linear_cka.csv and
    /// its heatmap; null when the run did not compute it.</summary>
    public SimilarityMatrix? LinearCka { get; init; }

    /// <summary>The SSC-CKA matrix and blocks of every epoch, in epoch order (the last is <see cref="Architecture"/>), written to
    /// blocks_by_epoch.csv with one heatmap per epoch; empty for a single snapshot.</summary>
    public IReadOnlyList<EpochArchitecture> ArchitectureByEpoch { get; init; } = [];

    /// <summary>Wall-clock seconds of the run's phases (activations, each layer's pass, CKA), written to timings.csv after the
    /// training epochs and solves; empty when not measured.</summary>
    public IReadOnlyList<(string Step, double Seconds)> Timings { get; init; } = [];

    /// <summary>Who computed the run's work units: per worker ("local", or a silo), the units and their seconds, shown beside the
    /// timings in report.html (the run folder's <c>units/epoch-NNN/units.csv</c> list each unit); empty when not known.</summary>
    public IReadOnlyList<(string Worker, int Units, double Seconds)> Workers { get; init; } = [];
}

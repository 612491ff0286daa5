using MLNet.Subspace.Numerics.Ssc;

namespace MLNet.Subspace.Analysis;

/// <summary>How <see cref="TrialComparison"/> compares several trained models over the same labelled inputs.</summary>
public sealed record TrialComparisonOptions
{
    /// <summary>Defaults, defined once.</summary>
    public static class Defaults
    {
        /// <summary>Biased (plain) HSIC in the CKA of the score and feature columns.</summary>
        public const bool Debiased = false;
        /// <summary>Seed of Louvain and spectral clustering on each trial's graph.</summary>
        public const int Seed = 0;
    }

    /// <summary>How each trial's SSC graph in its score space is built; the default is <see cref="SscOptions.Defaults"/>.</summary>
    public SscOptions Ssc { get; init; } = new();

    /// <summary>
    /// Layers compared by linear CKA beside the score columns: a full layer name (<c>0:Features</c>) or a column name, which
    /// picks each trial's deepest layer of that column (for <c>Features</c>: what its trainer read). A trial without it is left
    /// out of that row and column; a name no trial has is an error. Default none.
    /// </summary>
    public IReadOnlyList<string> FeatureLayers { get; init; } = [];

    /// <summary>Use debiased HSIC in the CKA. Default <see cref="Defaults.Debiased"/>.</summary>
    public bool Debiased { get; init; } = Defaults.Debiased;

    /// <summary>Seed of Louvain and spectral clustering. Default <see cref="Defaults.Seed"/>.</summary>
    public int Seed { get; init; } = Defaults.Seed;
}

using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Numerics.Similarity;
using static TorchSharp.torch;

namespace MLNet.Subspace.Analysis;

/// <summary>Any layer-similarity measure between every pair of layers of one set of activations (beside SSC-CKA's <see cref="ArchitectureAnalysis"/>).</summary>
public static class LayerSimilarity
{
    /// <summary>The L x L matrix of <paramref name="options"/>' measure; symmetric measures are computed once per pair.</summary>
    /// <param name="activations">The activations (the same N inputs for every layer).</param>
    /// <param name="options">The measure and its settings; null means <see cref="SimilarityOptions.Defaults"/>.</param>
    /// <remarks>
    /// Each layer's own work (centring, SVD basis, Gram matrix, RDM ranks or neighbour lists) is done once and kept, then
    /// every pair takes only the measure's pair step: L preparations plus L(L+1)/2 pair steps (L² for the asymmetric Pwcca, CycleKnn and Cknna);
    /// each half's cost in N and d is in the measure's class and docs/similarity.md. Memory: the L prepared layers together
    /// (refused beforehand, with the estimate, when they would not fit). Every value equals the measure's per-pair function
    /// on the same two layers.
    /// </remarks>
    public static SimilarityMatrix Compute(LayerActivations activations, SimilarityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(activations);
        options ??= new SimilarityOptions();
        int n = activations.Count;
        var layers = activations.LayerNames
            .Select((name, l) => new LayerInput(name, activations.Size(l), () => tensor(activations.Values[l], [n, activations.Size(l)]).to(ScalarType.Float64)))
            .ToList();
        var values = PairwiseSimilarity.Compute(options, n, layers);
        return new SimilarityMatrix(options.Describe(), activations.LayerNames.ToArray(), values, options.HigherIsMoreSimilar);
    }
}

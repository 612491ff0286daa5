using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Numerics.Cka;
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
    /// on the same two layers. Linear CKA is the exception: all pairs at once (<see cref="CkaMatrix.FromLayerRows"/>), each layer's
    /// kernel formed once in tiles, N² Σd + L² N² flops and O(L b²) memory (feature space, 2N(Σd)², when 2Σd ≤ N), so no N x N Gram is kept.
    /// </remarks>
    public static SimilarityMatrix Compute(LayerActivations activations, SimilarityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(activations);
        options ??= new SimilarityOptions();
        options.Validate();
        if (options.Measure == SimilarityMeasure.LinearCka) return LinearCka(activations, options);
        int n = activations.Count;
        var layers = activations.LayerNames
            .Select((name, l) => new LayerInput(name, activations.Size(l), () => tensor(activations.Values[l], [n, activations.Size(l)]).to(ScalarType.Float64)))
            .ToList();
        var values = PairwiseSimilarity.Compute(options, n, layers);
        return new SimilarityMatrix(options.Describe(), activations.LayerNames.ToArray(), values, options.HigherIsMoreSimilar);
    }

    /// <summary>The L x L matrix of <paramref name="options"/>' measure between layers given as tensors, with each layer's own work done once (as <see cref="Compute(LayerActivations, SimilarityOptions?)"/>).</summary>
    /// <param name="names">One name per layer (the matrix's row and column names).</param>
    /// <param name="layers">N x d_l tensors, any dtype (float64 inside), the same N inputs in every one.</param>
    /// <param name="options">The measure and its settings; null means <see cref="SimilarityOptions.Defaults"/>.</param>
    /// <exception cref="ArgumentException">Names and layers differ in number, or the row counts differ (naming both layers).</exception>
    public static SimilarityMatrix Compute(IReadOnlyList<string> names, IReadOnlyList<Tensor> layers, SimilarityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(layers);
        if (names.Count != layers.Count)
            throw new ArgumentException($"Got {names.Count} names for {layers.Count} layers; give one name per layer.", nameof(names));
        if (layers.Count == 0) throw new ArgumentException("Give at least one layer.", nameof(layers));
        options ??= new SimilarityOptions();
        for (int l = 0; l < layers.Count; l++)
        {
            ArgumentNullException.ThrowIfNull(layers[l], nameof(layers));
            if (layers[l].dim() != 2)
                throw new ArgumentException($"Layer '{names[l]}' must be a 2-D N x d matrix (one input per row). Got {layers[l].dim()} dimensions instead.", nameof(layers));
            if (layers[l].shape[0] != layers[0].shape[0])
                throw new ArgumentException($"Layer '{names[0]}' has {layers[0].shape[0]} rows but layer '{names[l]}' has {layers[l].shape[0]}; the layers must hold the same N inputs.", nameof(layers));
        }
        var inputs = layers.Select((t, l) => new LayerInput(names[l], t.shape[1], () => t.to(ScalarType.Float64))).ToList();
        var values = PairwiseSimilarity.Compute(options, layers[0].shape[0], inputs);
        return new SimilarityMatrix(options.Describe(), names.ToArray(), values, options.HigherIsMoreSimilar);
    }

    /// <summary>All-pairs linear CKA from row chunks of the activations (float32 in memory, float64 per chunk); a constant layer throws as the pairwise measure does.</summary>
    private static SimilarityMatrix LinearCka(LayerActivations activations, SimilarityOptions options)
    {
        int layers = activations.LayerNames.Count;
        var widths = Enumerable.Range(0, layers).Select(l => (long)activations.Size(l)).ToArray();
        Tensor Rows(int layer, long start, long length)
        {
            int d = activations.Size(layer);
            return tensor(activations.Values[layer].AsSpan(checked((int)(start * d)), checked((int)(length * d))).ToArray(), [length, d]);
        }
        var matrix = CkaMatrix.FromLayerRows(layers, activations.Count, widths, Rows, activations.LayerNames);
        if (matrix.Reasons.Count > 0) throw new DegenerateCkaException($"CKA is undefined: {matrix.Reasons[0]}.");
        return new SimilarityMatrix(options.Describe(), activations.LayerNames.ToArray(), matrix.Values, options.HigherIsMoreSimilar);
    }
}

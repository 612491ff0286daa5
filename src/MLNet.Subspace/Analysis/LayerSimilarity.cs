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
    /// <remarks>Cost: L(L+1)/2 evaluations of the measure (L² for Pwcca and CycleKnn); each measure's own cost in N and d is in its class.
    /// Linear CKA is the exception: all pairs at once (<see cref="CkaMatrix.FromLayerRows"/>), each layer's kernel formed once in tiles,
    /// N² Σd + L² N² flops and O(L b²) memory (feature space, 2N(Σd)², when 2Σd ≤ N), instead of two N x N Grams per pair.</remarks>
    public static SimilarityMatrix Compute(LayerActivations activations, SimilarityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(activations);
        options ??= new SimilarityOptions();
        options.Validate();
        int layers = activations.LayerNames.Count, n = activations.Count;
        if (options.Measure == SimilarityMeasure.LinearCka) return LinearCka(activations, options);
        var values = new double[layers, layers];
        // Two layers in float64 at a time (not all L): memory 8 N (d_i + d_j) beside the measure's own.
        Tensor Layer(int l) => tensor(activations.Values[l], [n, activations.Size(l)]).to(ScalarType.Float64);
        for (int i = 0; i < layers; i++)
        {
            using var outer = NewDisposeScope();
            var xi = Layer(i);
            for (int j = options.Symmetric ? i : 0; j < layers; j++)
            {
                using var inner = NewDisposeScope();
                values[i, j] = options.Compute(xi, i == j ? xi : Layer(j));
                if (options.Symmetric) values[j, i] = values[i, j];
            }
        }
        return new SimilarityMatrix(options.Describe(), activations.LayerNames.ToArray(), values, options.HigherIsMoreSimilar);
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

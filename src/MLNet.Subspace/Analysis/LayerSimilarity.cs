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
    /// <remarks>Cost: L(L+1)/2 evaluations of the measure (L² for Pwcca and CycleKnn); each measure's own cost in N and d is in its class.</remarks>
    public static SimilarityMatrix Compute(LayerActivations activations, SimilarityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(activations);
        options ??= new SimilarityOptions();
        options.Validate();
        int layers = activations.LayerNames.Count, n = activations.Count;
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
}

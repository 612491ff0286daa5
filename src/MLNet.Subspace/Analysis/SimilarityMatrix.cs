using Microsoft.Data.Analysis;

namespace MLNet.Subspace.Analysis;

/// <summary>A layer-similarity measure between every pair of layers.</summary>
/// <param name="Measure">The measure and its settings (<see cref="Numerics.Similarity.SimilarityOptions.Describe"/>).</param>
/// <param name="Layers">Layer names, in order.</param>
/// <param name="Values">Values[i, j] = measure(layer i, layer j).</param>
/// <param name="HigherIsMoreSimilar">False for the distances (Procrustes, shape metric).</param>
public sealed record SimilarityMatrix(string Measure, IReadOnlyList<string> Layers, double[,] Values, bool HigherIsMoreSimilar)
{
    /// <summary>The matrix as a DataFrame: first column <c>layer</c>, then one column per layer.</summary>
    public DataFrame Table => SquareMatrixTable.Create(Layers, Values);
}

using Microsoft.Data.Analysis;
using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Graphs;

namespace MLNet.Subspace.Analysis;

/// <summary>Which layers of one network are alike: the L x L SSC-CKA matrix and its block structure.</summary>
/// <param name="SscCka">SSC-CKA between every pair of layer graphs (symmetric, unit diagonal).</param>
/// <param name="Blocks">Contiguous diagonal blocks of similar layers and the block-structure score.</param>
public sealed record ArchitectureResult(CkaMatrix SscCka, BlockStructureResult Blocks)
{
    /// <summary>The matrix as a DataFrame: first column <c>layer</c>, then one column per layer.</summary>
    public DataFrame Matrix => SquareMatrixTable.Create(SscCka.RowNames, SscCka.Values);

    /// <summary>One row per block: first and last layer index, size and mean within-block similarity.</summary>
    public DataFrame BlockTable => new(
        new PrimitiveDataFrameColumn<int>("start", Blocks.Blocks.Select(b => b.Start)),
        new PrimitiveDataFrameColumn<int>("end", Blocks.Blocks.Select(b => b.End)),
        new PrimitiveDataFrameColumn<int>("size", Blocks.Blocks.Select(b => b.Size)),
        new DoubleDataFrameColumn("mean_similarity", Blocks.Blocks.Select(b => b.MeanSimilarity)));
}

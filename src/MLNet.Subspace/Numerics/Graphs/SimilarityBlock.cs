namespace MLNet.Subspace.Numerics.Graphs;

/// <summary>A contiguous diagonal block [Start, End] (inclusive) of an L x L similarity matrix.</summary>
/// <param name="Start">First index.</param>
/// <param name="End">Last index (inclusive).</param>
/// <param name="MeanSimilarity">Mean off-diagonal similarity inside the block (NaN for a block of one).</param>
public sealed record SimilarityBlock(int Start, int End, double MeanSimilarity)
{
    /// <summary>Number of layers in the block.</summary>
    public int Size => End - Start + 1;
}

namespace MLNet.Subspace.Numerics.Graphs;

/// <summary>Contiguous diagonal blocks of a similarity matrix and one block-structure score.</summary>
/// <param name="Blocks">The blocks, in order, covering 0..L-1.</param>
/// <param name="Score">Modularity Q of the contiguous partition (0 for one block; higher is more block-diagonal; at most 1).</param>
/// <param name="WithinMean">Mean similarity of off-diagonal pairs inside blocks (NaN when no block has two members).</param>
/// <param name="BetweenMean">Mean similarity of pairs in different blocks (NaN for one block).</param>
public sealed record BlockStructureResult(IReadOnlyList<SimilarityBlock> Blocks, double Score, double WithinMean, double BetweenMean)
{
    /// <summary>Number of blocks.</summary>
    public int Count => Blocks.Count;
}

namespace MLNet.Subspace.Numerics.Graphs;

/// <summary>Contiguous blocks of an L x L similarity matrix, with their number chosen by the gap statistic and a permutation p-value.</summary>
/// <param name="Counts">One row per number of blocks 1..min(MaxBlocks, L): score, null, gap, p-value, boundaries.</param>
/// <param name="GapCount">The number of blocks the gap rule picks, before the significance check.</param>
/// <param name="PValue">p-value of "no contiguous block structure" (max-T over K of the standardised gap, against the shuffled orders); 1 when L &lt; 3 or the matrix is constant.</param>
/// <param name="Blocks">The chosen blocks, covering 0..L-1: those of <paramref name="GapCount"/> when the p-value is below the significance level, else one block.</param>
/// <param name="Score">Score of the chosen blocks (0 for one block).</param>
/// <param name="WithinMean">Mean similarity of off-diagonal pairs inside the chosen blocks (NaN when no block has two members).</param>
/// <param name="BetweenMean">Mean similarity of pairs in different chosen blocks (NaN for one block).</param>
public sealed record BlockSegmentationResult(IReadOnlyList<BlockCountRow> Counts, int GapCount, double PValue, IReadOnlyList<SimilarityBlock> Blocks, double Score, double WithinMean, double BetweenMean)
{
    /// <summary>Number of chosen blocks.</summary>
    public int Count => Blocks.Count;

    /// <summary>The row of the number of blocks with the largest gap: a less conservative reading than the gap rule's smallest K
    /// within one standard error of the next (<see cref="GapCount"/>), shown beside it so a finer structure that the rule passes
    /// over is not hidden.</summary>
    public BlockCountRow MaximumGap => Counts.MaxBy(r => r.Gap)!;
}

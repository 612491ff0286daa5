using Microsoft.Data.Analysis;
using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Graphs;

namespace MLNet.Subspace.Analysis;

/// <summary>Which layers of one network are alike: the L x L SSC-CKA matrix and its block structure.</summary>
/// <param name="SscCka">SSC-CKA between every pair of layer graphs (symmetric, unit diagonal).</param>
/// <param name="Blocks">Contiguous blocks of similar layers: per number of blocks the score, null and p-value; the chosen blocks (<see cref="BlockSegmentation"/>).</param>
public sealed record ArchitectureResult(CkaMatrix SscCka, BlockSegmentationResult Blocks)
{
    /// <summary>The column names of <see cref="BlockTable"/> (blocks.csv) and <see cref="BlockCountTable"/> (block_counts.csv).</summary>
    public static class Columns
    {
        /// <summary>start: first layer index of a block.</summary>
        public const string Start = "start";
        /// <summary>end: last layer index of a block (inclusive).</summary>
        public const string End = "end";
        /// <summary>size: layers in a block.</summary>
        public const string Size = "size";
        /// <summary>start_layer: name of a block's first layer.</summary>
        public const string StartLayer = "start_layer";
        /// <summary>mean_similarity: mean off-diagonal SSC-CKA inside a block.</summary>
        public const string MeanSimilarity = "mean_similarity";
        /// <summary>blocks: the number of blocks K.</summary>
        public const string BlockCount = "blocks";
        /// <summary>score: share of the layers' profile variance the K blocks explain.</summary>
        public const string Score = "score";
        /// <summary>null_mean: mean score over shuffled layer orders.</summary>
        public const string NullMean = "null_mean";
        /// <summary>null_se: the gap statistic's s_K.</summary>
        public const string NullStandardError = "null_se";
        /// <summary>gap: score minus null mean.</summary>
        public const string Gap = "gap";
        /// <summary>p_value: permutation p-value of this K alone.</summary>
        public const string PValue = "p_value";
        /// <summary>starts: first layer index of each block, space-separated.</summary>
        public const string Starts = "starts";
        /// <summary>chosen: whether this K is the reported one.</summary>
        public const string Chosen = "chosen";
    }

    /// <summary>The matrix as a DataFrame: first column <c>layer</c>, then one column per layer.</summary>
    public DataFrame Matrix => SquareMatrixTable.Create(SscCka.RowNames, SscCka.Values);

    /// <summary>One row per chosen block: first and last layer index, size, first layer's name and mean within-block similarity.</summary>
    public DataFrame BlockTable => BlockTables.Blocks(Blocks, SscCka.RowNames);

    /// <summary>One row per number of blocks K: score, null mean and s_K, gap, p-value, block starts, and whether K is the one reported.</summary>
    public DataFrame BlockCountTable => BlockTables.Counts(Blocks);
}

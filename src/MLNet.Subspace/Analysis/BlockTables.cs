using System.Globalization;
using Microsoft.Data.Analysis;
using MLNet.Subspace.Numerics.Graphs;

namespace MLNet.Subspace.Analysis;

/// <summary>The tables of a <see cref="BlockSegmentationResult"/>, column names in <see cref="ArchitectureResult.Columns"/>.</summary>
internal static class BlockTables
{
    /// <summary>One row per chosen block (blocks.csv).</summary>
    public static DataFrame Blocks(BlockSegmentationResult result, IReadOnlyList<string> layers) => new(
        new PrimitiveDataFrameColumn<int>(ArchitectureResult.Columns.Start, result.Blocks.Select(b => b.Start)),
        new PrimitiveDataFrameColumn<int>(ArchitectureResult.Columns.End, result.Blocks.Select(b => b.End)),
        new PrimitiveDataFrameColumn<int>(ArchitectureResult.Columns.Size, result.Blocks.Select(b => b.Size)),
        new StringDataFrameColumn(ArchitectureResult.Columns.StartLayer, result.Blocks.Select(b => layers[b.Start])),
        new DoubleDataFrameColumn(ArchitectureResult.Columns.MeanSimilarity, result.Blocks.Select(b => b.MeanSimilarity)));

    /// <summary>One row per number of blocks (block_counts.csv).</summary>
    public static DataFrame Counts(BlockSegmentationResult result) => Counts(result.Counts, result.Counts.Select(r => r.Blocks == result.Count).ToList());

    /// <summary>The per-K rows of one or more results, with whether each is the reported one.</summary>
    public static DataFrame Counts(IReadOnlyList<BlockCountRow> rows, IReadOnlyList<bool> chosen) => new(
        new PrimitiveDataFrameColumn<int>(ArchitectureResult.Columns.BlockCount, rows.Select(r => r.Blocks)),
        new DoubleDataFrameColumn(ArchitectureResult.Columns.Score, rows.Select(r => r.Score)),
        new DoubleDataFrameColumn(ArchitectureResult.Columns.NullMean, rows.Select(r => r.NullMean)),
        new DoubleDataFrameColumn(ArchitectureResult.Columns.NullStandardError, rows.Select(r => r.NullStandardError)),
        new DoubleDataFrameColumn(ArchitectureResult.Columns.Gap, rows.Select(r => r.Gap)),
        new DoubleDataFrameColumn(ArchitectureResult.Columns.PValue, rows.Select(r => r.PValue)),
        new StringDataFrameColumn(ArchitectureResult.Columns.Starts, rows.Select(r => Join(r.Starts))),
        new BooleanDataFrameColumn(ArchitectureResult.Columns.Chosen, chosen));

    /// <summary>Layer indices, space-separated.</summary>
    public static string Join(IEnumerable<int> indices) => string.Join(' ', indices.Select(i => i.ToString(CultureInfo.InvariantCulture)));
}

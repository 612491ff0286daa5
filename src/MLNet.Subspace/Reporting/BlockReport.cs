using System.Globalization;
using Microsoft.Data.Analysis;
using MLNet.Subspace.Analysis;
using MLNet.Subspace.Numerics.Graphs;

namespace MLNet.Subspace.Reporting;

/// <summary>
/// Recomputes the contiguous blocks of finished runs' SSC-CKA matrices (each folder's ssc_cka.csv) with given
/// <see cref="BlockSegmentationOptions"/>: the table of docs/findings.md, without re-running any analysis.
/// </summary>
public static class BlockReport
{
    /// <summary>The column names of <see cref="Build"/>'s run table; the per-K table is <see cref="Run"/> followed by the columns of <see cref="ArchitectureResult.Columns"/>'s block_counts.csv.</summary>
    public static class Columns
    {
        /// <summary>epoch: the snapshot's epoch (<see cref="ByEpoch"/>).</summary>
        public const string Epoch = "epoch";
        /// <summary>final_blocks_within_mean: mean similarity inside the final epoch's blocks, at this epoch (<see cref="ByEpoch"/>).</summary>
        public const string FinalBlocksWithinMean = "final_blocks_within_mean";
        /// <summary>final_blocks_between_mean: mean similarity between the final epoch's blocks, at this epoch (<see cref="ByEpoch"/>).</summary>
        public const string FinalBlocksBetweenMean = "final_blocks_between_mean";
        /// <summary>run: the run's name.</summary>
        public const string Run = "run";
        /// <summary>layers: L.</summary>
        public const string Layers = "layers";
        /// <summary>blocks: the chosen number of blocks (1 = no block structure).</summary>
        public const string Blocks = "blocks";
        /// <summary>gap_blocks: the gap rule's number of blocks before the significance check.</summary>
        public const string GapBlocks = "gap_blocks";
        /// <summary>max_gap_blocks: the number of blocks with the largest gap (<see cref="BlockSegmentationResult.MaximumGap"/>).</summary>
        public const string MaximumGapBlocks = "max_gap_blocks";
        /// <summary>max_gap_starts: first layer index of each of those blocks.</summary>
        public const string MaximumGapStarts = "max_gap_starts";
        /// <summary>starts: first layer index of each chosen block.</summary>
        public const string Starts = "starts";
        /// <summary>start_layers: names of those layers.</summary>
        public const string StartLayers = "start_layers";
        /// <summary>name_group_starts: where the part of the layer name before the first '.' changes (our ResNets' stem and stages).</summary>
        public const string NameGroupStarts = "name_group_starts";
        /// <summary>score: the chosen blocks' score.</summary>
        public const string Score = "score";
        /// <summary>p_value: max-T permutation p-value of the block structure.</summary>
        public const string PValue = "p_value";
        /// <summary>within_mean: mean similarity inside the chosen blocks.</summary>
        public const string WithinMean = "within_mean";
        /// <summary>between_mean: mean similarity between them.</summary>
        public const string BetweenMean = "between_mean";
    }

    /// <summary>Segments each run's ssc_cka.csv.</summary>
    /// <param name="runs">(name, run folder) pairs; each folder must hold ssc_cka.csv (written by <c>subspace demo</c> or <c>analyze</c>).</param>
    /// <param name="options">How blocks are found and tested; default <see cref="BlockSegmentationOptions.Defaults"/>.</param>
    /// <returns>One row per run (names in <see cref="Columns"/>), and one row per run and number of blocks.</returns>
    /// <exception cref="FileNotFoundException">A folder has no ssc_cka.csv.</exception>
    /// <exception cref="InvalidDataException">A matrix is not a square table of numbers with a <c>layer</c> column.</exception>
    public static (DataFrame Runs, DataFrame Counts) Build(IReadOnlyList<(string Name, string Folder)> runs, BlockSegmentationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ArgumentException("Give at least one run folder.", nameof(runs));
        options ??= new BlockSegmentationOptions();
        options.Validate();
        var matrices = runs.Select(r => Read(r.Name, Path.Combine(r.Folder, "ssc_cka.csv"))).ToList();
        var results = matrices.Select(m => BlockSegmentation.Find(m.Values, options)).ToList();
        var table = new DataFrame(
            new StringDataFrameColumn(Columns.Run, runs.Select(r => r.Name)),
            new PrimitiveDataFrameColumn<int>(Columns.Layers, matrices.Select(m => m.Layers.Count)),
            new PrimitiveDataFrameColumn<int>(Columns.Blocks, results.Select(r => r.Count)),
            new PrimitiveDataFrameColumn<int>(Columns.GapBlocks, results.Select(r => r.GapCount)),
            new PrimitiveDataFrameColumn<int>(Columns.MaximumGapBlocks, results.Select(r => r.MaximumGap.Blocks)),
            new StringDataFrameColumn(Columns.MaximumGapStarts, results.Select(r => BlockTables.Join(r.MaximumGap.Starts))),
            new StringDataFrameColumn(Columns.Starts, results.Select(r => BlockTables.Join(r.Blocks.Select(b => b.Start)))),
            new StringDataFrameColumn(Columns.StartLayers, results.Select((r, i) => string.Join(' ', r.Blocks.Select(b => matrices[i].Layers[b.Start])))),
            new StringDataFrameColumn(Columns.NameGroupStarts, matrices.Select(m => BlockTables.Join(NameGroupStarts(m.Layers)))),
            new DoubleDataFrameColumn(Columns.Score, results.Select(r => r.Score)),
            new DoubleDataFrameColumn(Columns.PValue, results.Select(r => r.PValue)),
            new DoubleDataFrameColumn(Columns.WithinMean, results.Select(r => r.WithinMean)),
            new DoubleDataFrameColumn(Columns.BetweenMean, results.Select(r => r.BetweenMean)));
        var counts = BlockTables.Counts(results.SelectMany(r => r.Counts).ToList(), results.SelectMany(r => r.Counts.Select(k => k.Blocks == r.Count)).ToList());
        counts.Columns.Insert(0, new StringDataFrameColumn(Columns.Run, runs.SelectMany((r, i) => Enumerable.Repeat(r.Name, results[i].Counts.Count))));
        return (table, counts);
    }

    /// <summary>The blocks of every epoch of one run (blocks_by_epoch.csv): per epoch the chosen number of blocks, their starts,
    /// score, p-value and within/between means, and the within/between means of the final epoch's blocks at that epoch, so a
    /// fading of the final structure shows even where the chosen blocks change.</summary>
    /// <param name="epochs">The run's epochs in order, the last being the final model.</param>
    public static DataFrame ByEpoch(IReadOnlyList<EpochArchitecture> epochs)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        if (epochs.Count == 0) throw new ArgumentException("Give at least one epoch.", nameof(epochs));
        var finalBlocks = epochs[^1].Architecture.Blocks.Blocks;
        var fixedMeans = epochs.Select(e => BlockStructure.Means(e.Architecture.SscCka.Values, finalBlocks)).ToList();
        var results = epochs.Select(e => e.Architecture.Blocks).ToList();
        return new DataFrame(
            new PrimitiveDataFrameColumn<int>(Columns.Epoch, epochs.Select(e => e.Epoch)),
            new PrimitiveDataFrameColumn<int>(Columns.Blocks, results.Select(r => r.Count)),
            new PrimitiveDataFrameColumn<int>(Columns.GapBlocks, results.Select(r => r.GapCount)),
            new PrimitiveDataFrameColumn<int>(Columns.MaximumGapBlocks, results.Select(r => r.MaximumGap.Blocks)),
            new StringDataFrameColumn(Columns.MaximumGapStarts, results.Select(r => BlockTables.Join(r.MaximumGap.Starts))),
            new StringDataFrameColumn(Columns.Starts, results.Select(r => BlockTables.Join(r.Blocks.Select(b => b.Start)))),
            new DoubleDataFrameColumn(Columns.Score, results.Select(r => r.Score)),
            new DoubleDataFrameColumn(Columns.PValue, results.Select(r => r.PValue)),
            new DoubleDataFrameColumn(Columns.WithinMean, results.Select(r => r.WithinMean)),
            new DoubleDataFrameColumn(Columns.BetweenMean, results.Select(r => r.BetweenMean)),
            new DoubleDataFrameColumn(Columns.FinalBlocksWithinMean, fixedMeans.Select(m => m.Within)),
            new DoubleDataFrameColumn(Columns.FinalBlocksBetweenMean, fixedMeans.Select(m => m.Between)));
    }

    /// <summary>Indices where the layer name's part before the first '.' differs from the previous layer's (0 first).</summary>
    private static List<int> NameGroupStarts(IReadOnlyList<string> layers)
    {
        static string Group(string name) => name.Split('.')[0];
        return Enumerable.Range(0, layers.Count).Where(i => i == 0 || Group(layers[i]) != Group(layers[i - 1])).ToList();
    }

    private static (IReadOnlyList<string> Layers, double[,] Values) Read(string run, string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Run '{run}' has no {Path.GetFileName(path)} ({path}): is it a finished 'subspace demo' or 'subspace analyze' run?", path);
        var frame = DataFrameIO.LoadCsv(path);
        int l = (int)frame.Rows.Count;
        if (l == 0 || frame.Columns[0].Name != "layer" || frame.Columns.Count != l + 1)
            throw new InvalidDataException($"{path} is not an L x L similarity table: expected a 'layer' column and one column per row, found {frame.Columns.Count} columns (first '{frame.Columns[0].Name}') and {l} rows.");
        var values = new double[l, l];
        for (int i = 0; i < l; i++)
            for (int j = 0; j < l; j++)
            {
                object? cell = frame.Columns[j + 1][i];
                // A column with one bad cell is read as text: parse its cells, so the message names the cell, not the column's first.
                values[i, j] = cell switch
                {
                    null => double.NaN,
                    string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) => v,
                    string or bool or char => throw new InvalidDataException($"{path}: line {i + 2}, column '{frame.Columns[j + 1].Name}': expected a number, found '{cell}'."),
                    _ => Convert.ToDouble(cell, CultureInfo.InvariantCulture),
                };
            }
        return (Enumerable.Range(0, l).Select(i => Convert.ToString(frame.Columns[0][i], CultureInfo.InvariantCulture) ?? "").ToList(), values);
    }
}

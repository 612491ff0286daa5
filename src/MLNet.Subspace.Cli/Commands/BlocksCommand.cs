using System.CommandLine;
using System.Globalization;
using MLNet.Subspace.Numerics.Graphs;
using MLNet.Subspace.Reporting;
using Spectre.Console;

namespace MLNet.Subspace.Cli.Commands;

/// <summary><c>subspace blocks</c>: the contiguous blocks of finished runs' SSC-CKA matrices, recomputed from their ssc_cka.csv.</summary>
internal static class BlocksCommand
{
    public static Command Create()
    {
        var runs = new Option<string[]>("--run") { Description = "A finished run folder (holding ssc_cka.csv), optionally named: NAME=FOLDER (repeatable).", AllowMultipleArgumentsPerToken = true, Required = true };
        var output = new Option<string?>("--out") { Description = "Folder for block_table.csv (one row per run) and block_counts.csv (one row per run and number of blocks); default: print only." };
        var maxBlocks = new Option<int>("--max-blocks") { Description = "Largest number of blocks scored (capped at the layer count).", DefaultValueFactory = _ => BlockSegmentationOptions.Defaults.MaxBlocks };
        var permutations = new Option<int>("--permutations") { Description = "Shuffled layer orders in the null distribution.", DefaultValueFactory = _ => BlockSegmentationOptions.Defaults.Permutations };
        var seed = new Option<int>("--seed") { Description = "Seed of the shuffled layer orders.", DefaultValueFactory = _ => BlockSegmentationOptions.Defaults.Seed };
        var significance = new Option<double>("--significance") { Description = "p-value at or above which one block (no block structure) is reported.", DefaultValueFactory = _ => BlockSegmentationOptions.Defaults.Significance };
        var command = new Command("blocks", "Contiguous blocks of layers in finished runs' SSC-CKA matrices: per number of blocks the score, gap and permutation p-value, the chosen blocks, and the layer-name groups (ResNet stages) beside them.")
            { runs, output, maxBlocks, permutations, seed, significance };
        command.SetAction(result =>
        {
            var options = new BlockSegmentationOptions
            {
                MaxBlocks = result.GetValue(maxBlocks), Permutations = result.GetValue(permutations),
                Seed = result.GetValue(seed), Significance = result.GetValue(significance),
            };
            options.Validate();
            var pairs = result.GetValue(runs)!.Select(r => r.Contains('=') ? (r[..r.IndexOf('=')], r[(r.IndexOf('=') + 1)..]) : (Path.GetFileName(Path.TrimEndingDirectorySeparator(r)), r)).ToList();
            var (table, counts) = BlockReport.Build(pairs, options);
            if (result.GetValue(output) is { } folder)
            {
                Directory.CreateDirectory(folder);
                DataFrameIO.SaveCsv(table, Path.Combine(folder, "block_table.csv"));
                DataFrameIO.SaveCsv(counts, Path.Combine(folder, "block_counts.csv"));
            }
            Print(counts);
            Print(table);
            return 0;
        });
        return command;
    }

    private static void Print(Microsoft.Data.Analysis.DataFrame frame)
    {
        var grid = new Table();
        foreach (var column in frame.Columns) grid.AddColumn(Markup.Escape(column.Name));
        for (int r = 0; r < frame.Rows.Count; r++)
            grid.AddRow(frame.Columns.Select(c => Markup.Escape(c[r] is double d ? d.ToString("0.####", CultureInfo.InvariantCulture) : Convert.ToString(c[r], CultureInfo.InvariantCulture) ?? "")).ToArray());
        AnsiConsole.Write(grid);
    }
}

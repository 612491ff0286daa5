using System.CommandLine;
using System.Diagnostics;
using MLNet.Subspace.Data;
using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Graphs;

namespace MLNet.Subspace.Cli.Commands;

/// <summary><c>subspace modularity</c>: Newman's weighted modularity of a graph against labels, as the reference peer's <c>modularity</c>.</summary>
internal static class ModularityCommand
{
    public static Command Create()
    {
        var w = new Option<string>("--w") { Description = "Symmetric N x N weight matrix (CSV).", Required = true };
        var y = new Option<string>("--y") { Description = "Labels, one integer per line (N lines).", Required = true };
        var louvain = new Option<bool>("--louvain") { Description = "Also detect communities with seeded Louvain and report their modularity." };
        var seed = new Option<int>("--seed") { Description = "Louvain seed.", DefaultValueFactory = _ => 0 };
        var command = new Command("modularity", "Weighted Newman modularity of a graph against a label partition; prints one JSON object {modularity, seconds, ...}.") { w, y, louvain, seed };
        command.SetAction(result => Run(result.GetValue(w)!, result.GetValue(y)!, result.GetValue(louvain), result.GetValue(seed)));
        return command;
    }

    private static int Run(string wPath, string yPath, bool louvain, int seed)
    {
        Matrix dense = CsvMatrix.Read(wPath);
        int[] labels = CsvMatrix.ReadLabels(yPath, dense.Rows);
        if (dense.Rows != dense.Columns) throw new ArgumentException($"--w {wPath} is {dense.Rows} x {dense.Columns}; a weight matrix is square (N x N).");
        var graph = SparseMatrix.FromDense(dense.Values, dense.Rows, dense.Columns);
        var clock = Stopwatch.StartNew();
        double modularity;
        try
        {
            modularity = Modularity.Compute(graph, labels);
        }
        catch (ArgumentException e)
        {
            // The graph checks name the row and column (from 1) but not the file: name it, as every other error does.
            throw new ArgumentException($"--w {wPath}: {CliErrors.Message(e).Replace("Graph 'graph' must", "the graph must", StringComparison.Ordinal).Replace("Graph 'graph', ", "", StringComparison.Ordinal)}", e);
        }
        var output = new Dictionary<string, object?> { ["modularity"] = modularity, ["seconds"] = clock.Elapsed.TotalSeconds, ["n"] = dense.Rows, ["nnz"] = graph.NonZeroCount };
        if (louvain)
        {
            clock.Restart();
            var found = Louvain.Detect(graph, seed);
            output["louvain_modularity"] = found.Modularity;
            output["louvain_communities"] = found.Count;
            output["louvain_seconds"] = clock.Elapsed.TotalSeconds;
        }
        Json.Print(output);
        return 0;
    }
}

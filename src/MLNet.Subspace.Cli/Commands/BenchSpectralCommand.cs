using System.CommandLine;
using System.Diagnostics;
using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Metrics;
using MLNet.Subspace.Numerics.Spectral;

namespace MLNet.Subspace.Cli.Commands;

/// <summary>
/// <c>subspace bench-spectral</c>: spectral clustering of a sparse SSC-like graph with 10 planted clusters (the timings behind
/// docs/benchmarks.md; bench/spectral/run.sh runs it next to scikit-learn).
/// </summary>
internal static class BenchSpectralCommand
{
    public static Command Create()
    {
        var n = (new Option<int>("--n") { Description = "Nodes N.", DefaultValueFactory = _ => 10_000 }).AtLeast(20);
        var k = (new Option<int>("--k") { Description = "Edges per node before symmetrising (90 % inside its cluster).", DefaultValueFactory = _ => 10 }).AtLeast(1);
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0, Description = "Seed of the graph, the eigensolver start and k-means." };
        var route = new Option<string>("--route") { Description = "Eigensolver: auto (by size), dense or iterative.", DefaultValueFactory = _ => "auto" };
        route.AcceptOnlyFromAmong("auto", "dense", "iterative");
        var output = new Option<string?>("--out") { Description = "Write the graph as i,j,w triplets (graph.csv) and the planted labels (labels.csv) for the peer." };
        var command = new Command("bench-spectral", "Spectral clustering (10 clusters) of an N-node sparse graph with planted clusters; prints one JSON object.") { n, k, seed, route, output };
        command.SetAction(r => Run(r.GetValue(n), r.GetValue(k), r.GetValue(seed), r.GetValue(route)!, r.GetValue(output)));
        return command;
    }

    private static int Run(int n, int k, int seed, string route, string? output)
    {
        const int clusters = 10;
        var clock = Stopwatch.StartNew();
        var graph = BenchCkaCommand.RandomSscGraph(n, k, new Random(seed));
        double buildSeconds = clock.Elapsed.TotalSeconds;
        var truth = Enumerable.Range(0, n).Select(i => i % clusters).ToArray();
        if (output is not null)
        {
            Directory.CreateDirectory(output);
            BenchCkaCommand.WriteTriplets(Path.Combine(output, "graph.csv"), graph);
            File.WriteAllLines(Path.Combine(output, "labels.csv"), truth.Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        bool? dense = route switch { "dense" => true, "iterative" => false, _ => null };
        var process = Process.GetCurrentProcess();
        process.Refresh();
        long before = process.PeakWorkingSet64;
        clock.Restart();
        var embedding = SpectralClustering.Embed(graph, clusters, seed, dense);
        double embedSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var labels = SpectralClustering.Cluster(graph, clusters, seed, dense: dense);
        double clusterSeconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        Json.Print(new()
        {
            ["n"] = n, ["nnz"] = graph.NonZeroCount, ["route"] = dense is null ? (n <= SpectralClustering.DenseLimit ? "dense" : "iterative") : route,
            ["graph_seconds"] = buildSeconds, ["embed_seconds"] = embedSeconds, ["cluster_seconds"] = clusterSeconds,
            ["ari"] = ClusteringMetrics.AdjustedRandIndex(truth, labels), ["accuracy"] = ClusteringMetrics.Accuracy(truth, labels),
            ["embedding_checksum"] = embedding.Sum(Math.Abs),
            ["peak_working_set_bytes"] = process.PeakWorkingSet64, ["peak_before_bytes"] = before, ["threads"] = Environment.ProcessorCount,
        });
        return 0;
    }
}

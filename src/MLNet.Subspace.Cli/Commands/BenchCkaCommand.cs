using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Cka;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Cli.Commands;

/// <summary>
/// <c>subspace bench-cka graphs|minibatch|layers</c>: the timings behind docs/benchmarks.md
/// (bench/cka/run.sh runs them next to the NumPy peer).
/// </summary>
internal static class BenchCkaCommand
{
    public static Command Create()
    {
        var command = new Command("bench-cka", "Benchmarks of all-pairs SSC-CKA and minibatch CKA; each prints one JSON object.");
        command.Subcommands.Add(Graphs());
        command.Subcommands.Add(Minibatch());
        command.Subcommands.Add(Layers());
        return command;
    }

    /// <summary>The conv layers of resnet18-16 on 28 x 28 inputs (stem, 4 stages of 16/32/64/128 channels with shortcuts): 20 widths, 120,000 in all.</summary>
    private static readonly int[] Resnet18Widths = [.. Enumerable.Repeat(16 * 28 * 28, 5), .. Enumerable.Repeat(32 * 14 * 14, 5), .. Enumerable.Repeat(64 * 7 * 7, 5), .. Enumerable.Repeat(128 * 4 * 4, 5)];

    private static Command Layers()
    {
        var n = (new Option<int>("--n") { Description = "Inputs N.", DefaultValueFactory = _ => 10_000 }).AtLeast(4);
        var divide = (new Option<int>("--divide") { Description = "Divide every resnet18-16 width by this (1: the real 20 widths, 120,000 features).", DefaultValueFactory = _ => 1 }).AtLeast(1);
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0, Description = "Seed of the layers." };
        var debiased = new Option<bool>("--debiased") { Description = "Debiased HSIC." };
        var output = new Option<string?>("--out") { Description = "Folder to write the layers (layer_XX.f32, raw float32 row-major), meta.json and our matrix (ours.csv) for the peer." };
        var command = new Command("layers", "Linear CKA L x L of 20 float32 layers shaped like resnet18-16's conv layers over N inputs (no N x N matrix is held).") { n, divide, seed, debiased, output };
        command.SetAction(r => RunLayers(r.GetValue(n), r.GetValue(divide), r.GetValue(seed), r.GetValue(debiased), r.GetValue(output)));
        return command;
    }

    private static int RunLayers(int n, int divide, int seed, bool debiased, string? output)
    {
        var widths = Resnet18Widths.Select(w => Math.Max(1, w / divide)).ToArray();
        var generator = new torch.Generator((ulong)seed);
        var layers = new List<Tensor>();
        // Related layers from a shared 64-dimensional latent code: relu(Z R_l) + noise, cheap to make at any width.
        using (var scope = NewDisposeScope())
        {
            var latent = randn(n, 64, float32, generator: generator);
            foreach (int w in widths)
            {
                using var inner = NewDisposeScope();
                var layer = nn.functional.relu(latent.mm(randn(64, w, float32, generator: generator) / 8f)) + 0.5f * randn(n, w, float32, generator: generator);
                layers.Add(layer.MoveToOuterDisposeScope());
                latent = (latent + 0.3f * randn(n, 64, float32, generator: generator)).MoveToOuterDisposeScope();
            }
            foreach (var layer in layers) layer.MoveToOuterDisposeScope();
        }
        var process = Process.GetCurrentProcess();
        process.Refresh();
        long before = process.PeakWorkingSet64, dataBytes = (long)n * widths.Sum() * sizeof(float);
        var clock = Stopwatch.StartNew();
        var matrix = CkaMatrix.FromRepresentations(layers, debiased: debiased);
        double seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        // Tile GEMMs: sum over tiles i <= j of 2 b_i b_j d, about N^2 d (1 + b/N) per layer; the L x L products 2 L^2 b^2 per tile.
        var products = LinearKernelProductsInfo(n, widths);
        if (output is not null)
        {
            Directory.CreateDirectory(output);
            for (int l = 0; l < layers.Count; l++)
                File.WriteAllBytes(Path.Combine(output, $"layer_{l:D2}.f32"), layers[l].contiguous().bytes.ToArray());
            File.WriteAllText(Path.Combine(output, "meta.json"), System.Text.Json.JsonSerializer.Serialize(new { n, widths, debiased }));
            File.WriteAllLines(Path.Combine(output, "ours.csv"), Enumerable.Range(0, layers.Count).Select(a =>
                string.Join(",", Enumerable.Range(0, layers.Count).Select(b => matrix[a, b].ToString("R", CultureInfo.InvariantCulture)))));
        }
        Json.Print(new()
        {
            ["n"] = n, ["layers"] = layers.Count, ["features"] = widths.Sum(), ["debiased"] = debiased, ["route"] = products.Route, ["tile"] = products.Tile,
            ["seconds"] = seconds, ["flops"] = products.Flops, ["gflops_per_second"] = products.Flops / seconds / 1e9,
            ["data_bytes"] = dataBytes, ["peak_working_set_bytes"] = process.PeakWorkingSet64, ["peak_growth_bytes"] = process.PeakWorkingSet64 - before,
            ["stacked_kernels_would_need_bytes"] = (long)layers.Count * n * n * sizeof(double),
            ["cka_0_1"] = matrix[0, 1], ["cka_0_19"] = matrix[0, layers.Count - 1], ["threads"] = Environment.ProcessorCount,
        });
        foreach (var layer in layers) layer.Dispose();
        return 0;
    }

    /// <summary>The route and tile side the library takes at the default ceiling, and the flops it does (GEMMs only).</summary>
    private static (string Route, int Tile, double Flops) LinearKernelProductsInfo(int n, int[] widths)
    {
        long total = widths.Sum();
        if (2 * total <= n) return ("features", 0, 2.0 * n * total * total);
        int b = Math.Min(n, Math.Clamp((n + 3) / 4, 256, 2048)), tiles = (n + b - 1) / b;
        double pairs = tiles * (tiles + 1) / 2.0;
        return ("gram-tiles", b, (double)n * n * total * (1 + (double)b / n) + 2.0 * widths.Length * widths.Length * b * (double)b * pairs);
    }

    private static Command Graphs()
    {
        var layers = (new Option<int>("--layers") { Description = "Number of graphs L.", DefaultValueFactory = _ => 36 }).AtLeast(2);
        var n = (new Option<int>("--n") { Description = "Nodes per graph N.", DefaultValueFactory = _ => 2000 }).AtLeast(2);
        var k = (new Option<int>("--k") { Description = "Coefficients per column before symmetrising (W = |C| + |C|^T has up to 2k per column).", DefaultValueFactory = _ => 15 }).AtLeast(1);
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0, Description = "Seed of the random graphs." };
        var output = new Option<string?>("--out") { Description = "Folder to write the graphs as i,j,w triplet CSVs (W_00.csv, ...) for the peer." };
        var dense = new Option<bool>("--dense") { Description = "Also time the dense stacked route (L N^2 x 8 bytes of memory)." };
        var repeat = (new Option<int>("--repeat") { Description = "Timed repetitions (the best is reported).", DefaultValueFactory = _ => 3 }).AtLeast(1);
        var command = new Command("graphs", "All pairs of L random sparse symmetric SSC-like graphs: sparse route (and dense stacked route).") { layers, n, k, seed, output, dense, repeat };
        command.SetAction(r => RunGraphs(r.GetValue(layers), r.GetValue(n), r.GetValue(k), r.GetValue(seed), r.GetValue(output), r.GetValue(dense), r.GetValue(repeat)));
        return command;
    }

    private static Command Minibatch()
    {
        var n = (new Option<int>("--n") { Description = "Inputs N.", DefaultValueFactory = _ => 50_000 }).AtLeast(4);
        var d1 = (new Option<int>("--d1") { Description = "Width of the first layer.", DefaultValueFactory = _ => 512 }).AtLeast(1);
        var d2 = (new Option<int>("--d2") { Description = "Width of the second layer.", DefaultValueFactory = _ => 256 }).AtLeast(1);
        var batch = (new Option<int>("--batch") { Description = "Minibatch size.", DefaultValueFactory = _ => 1000 }).AtLeast(4);
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0, Description = "Seed of the random layers." };
        var command = new Command("minibatch", "Minibatch (debiased linear) CKA between two layers of N inputs, against the full-sample feature-space value.") { n, d1, d2, batch, seed };
        command.SetAction(r => RunMinibatch(r.GetValue(n), r.GetValue(d1), r.GetValue(d2), r.GetValue(batch), r.GetValue(seed)));
        return command;
    }

    /// <summary>SSC-like graphs: 10 classes, each column keeps k coefficients, 90 % inside its class.</summary>
    internal static SparseMatrix RandomSscGraph(int n, int k, Random random)
    {
        var rows = new List<int>(2 * n * k); var cols = new List<int>(2 * n * k); var vals = new List<double>(2 * n * k);
        const int classes = 10;
        for (int i = 0; i < n; i++)
        {
            for (int t = 0; t < k; t++)
            {
                int j = random.NextDouble() < 0.9 ? (random.Next(n / classes) * classes + i % classes) % n : random.Next(n);
                if (j == i) continue;
                double w = random.NextDouble() * random.NextDouble();
                rows.Add(i); cols.Add(j); vals.Add(w);
                rows.Add(j); cols.Add(i); vals.Add(w);
            }
        }
        return SparseMatrix.FromTriplets(n, n, rows.ToArray(), cols.ToArray(), vals.ToArray());
    }

    private static int RunGraphs(int layers, int n, int k, int seed, string? output, bool dense, int repeat)
    {
        var random = new Random(seed);
        var graphs = Enumerable.Range(0, layers).Select(_ => RandomSscGraph(n, k, random)).ToList();
        if (output is not null)
        {
            Directory.CreateDirectory(output);
            for (int l = 0; l < layers; l++) WriteTriplets(Path.Combine(output, $"W_{l:D2}.csv"), graphs[l]);
        }
        var result = new Dictionary<string, object?>
        {
            ["layers"] = layers, ["n"] = n, ["nnz_per_column"] = graphs.Average(g => g.NonZeroCount) / n, ["threads"] = Environment.ProcessorCount,
        };
        CkaMatrix? sparse = null;
        result["sparse_seconds"] = Best(repeat, () => sparse = CkaMatrix.FromGraphs(graphs));
        result["sparse_debiased_seconds"] = Best(repeat, () => CkaMatrix.FromGraphs(graphs, debiased: true));
        result["pairwise_sparse_seconds"] = Best(1, () =>
        {
            for (int a = 0; a < layers; a++) for (int b = a + 1; b < layers; b++) GraphCka.Cka(graphs[a], graphs[b]);
        });
        if (dense)
        {
            CkaMatrix? stacked = null;
            result["dense_stacked_seconds"] = Best(1, () =>
            {
                using var scope = NewDisposeScope();
                stacked = CkaMatrix.FromGrams(graphs.Select(g => g.ToDenseTensor()).ToList(), maximumBytes: 8L << 30);
            });
            double diff = 0;
            for (int a = 0; a < layers; a++) for (int b = 0; b < layers; b++) diff = Math.Max(diff, Math.Abs(stacked!.Values[a, b] - sparse!.Values[a, b]));
            result["max_abs_difference_sparse_vs_dense"] = diff;
        }
        result["cka_01"] = sparse![0, 1];
        result["mean_offdiagonal_cka"] = Enumerable.Range(0, layers).SelectMany(a => Enumerable.Range(0, layers).Where(b => b != a).Select(b => sparse[a, b])).Average();
        Json.Print(result);
        return 0;
    }

    private static int RunMinibatch(int n, int d1, int d2, int batch, int seed)
    {
        var process = Process.GetCurrentProcess();
        var generator = new torch.Generator((ulong)seed);
        using var scope = NewDisposeScope();
        var first = randn(n, d1, float32, generator: generator);
        var second = nn.functional.relu(first.mm(randn(d1, d2, float32, generator: generator) / MathF.Sqrt(d1))) + 0.5f * randn(n, d2, float32, generator: generator);
        process.Refresh();
        long before = process.PeakWorkingSet64;
        var clock = Stopwatch.StartNew();
        var matrix = CkaMatrix.FromRepresentations([first, second], debiased: true, minibatchSize: batch, names: ["first", "second"]);
        double minibatchSeconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        long after = process.PeakWorkingSet64;
        clock.Restart();
        double full = CkaMath.FeatureSpaceLinearCka(first, second, debiased: true);
        double fullSeconds = clock.Elapsed.TotalSeconds;
        Json.Print(new()
        {
            ["n"] = n, ["d1"] = d1, ["d2"] = d2, ["batch"] = batch, ["batches"] = matrix.Batches,
            ["minibatch_cka"] = matrix[0, 1], ["minibatch_seconds"] = minibatchSeconds,
            ["full_feature_cka"] = full, ["full_feature_seconds"] = fullSeconds,
            ["data_bytes"] = (long)n * (d1 + d2) * sizeof(float),
            ["peak_working_set_bytes"] = after, ["peak_growth_during_minibatch_bytes"] = after - before,
            ["dense_gram_route_would_need_bytes"] = 2L * n * n * sizeof(double),
        });
        return 0;
    }

    private static double Best(int repeat, Action action)
    {
        double best = double.PositiveInfinity;
        for (int r = 0; r < Math.Max(1, repeat); r++)
        {
            var clock = Stopwatch.StartNew();
            action();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }

    internal static void WriteTriplets(string path, SparseMatrix graph)
    {
        using var writer = new StreamWriter(path);
        for (int i = 0; i < graph.Rows; i++)
        {
            var cols = graph.RowIndices(i); var vals = graph.RowValues(i);
            for (int t = 0; t < cols.Length; t++)
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i},{cols[t]},{vals[t]:R}"));
        }
    }
}

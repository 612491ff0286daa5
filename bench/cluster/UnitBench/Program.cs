// Scheduling overhead and unit costs of the cluster runner (bench/cluster/run.sh).
//   trivial CONFIG SHARED COUNT : COUNT distinct tiny units (N = 4, d = 3, OMP) through the local runner, then the cluster's
//                                 (fresh folders each), one JSON line per side: units per second.
//   cost SHARED N D SOLVER      : one unit of N points on 10 random 8-dimensional subspaces of R^D, executed in this process.
//   split CONFIG SHARED N D B   : one such OMP layer executed whole in this process, then split into its Gram row blocks and
//                                 B blocks of codes (LayerGraphUnit.Parts) in this process, then the same parts through the
//                                 cluster; one JSON line per side, and whether the results are byte-identical to the whole.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MLNet.Subspace.Cluster;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Pipeline.Units;

var inv = CultureInfo.InvariantCulture;
switch (args[0])
{
    case "trivial":
    {
        string config = args[1], shared = args[2];
        int count = int.Parse(args[3], inv);
        // Warm-up batches first (torch's first kernels, the silos' first activations), then the timed ones.
        var localRunner = new LocalUnitRunner(shared);
        await localRunner.RunAsync(Units(Path.Combine(shared, "warm-local"), 4, 4, 3, new SscOptions(), seed: 2));
        var local = Units(Path.Combine(shared, "trivial-local"), count, 4, 3, new SscOptions());
        var clock = Stopwatch.StartNew();
        await localRunner.RunAsync(local);
        Print("local", count, clock.Elapsed.TotalSeconds);
        using var client = await SubspaceCluster.ConnectAsync(SubspaceCluster.LoadConfiguration(config));
        var clusterRunner = new ClusterUnitRunner(SubspaceCluster.Client(client), shared);
        await clusterRunner.RunAsync(Units(Path.Combine(shared, "warm-cluster"), 4, 4, 3, new SscOptions(), seed: 2));
        var clustered = Units(Path.Combine(shared, "trivial-cluster"), count, 4, 3, new SscOptions());
        clock.Restart();
        var receipts = await clusterRunner.RunAsync(clustered);
        Print("cluster", count, clock.Elapsed.TotalSeconds, receipts.GroupBy(r => r.Worker).ToDictionary(g => g.Key, g => g.Count()));
        break;
    }
    case "cost":
    {
        string shared = args[1];
        int n = int.Parse(args[2], inv), d = int.Parse(args[3], inv);
        var unit = Units(Path.Combine(shared, $"cost-{n}-{d}-{args[4]}"), 1, n, d, new SscOptions { Solver = SscOptions.ParseSolver(args[4]) })[0];
        var clock = Stopwatch.StartNew();
        var receipt = unit.Execute(shared, LocalUnitRunner.WorkerName);
        Console.WriteLine(JsonSerializer.Serialize(new { side = "cost", n, d, solver = args[4], solve_s = receipt.Seconds, unit_s = clock.Elapsed.TotalSeconds, load = Load() }));
        break;
    }
    case "split":
    {
        string config = args[1], shared = args[2];
        int n = int.Parse(args[3], inv), d = int.Parse(args[4], inv), blocks = int.Parse(args[5], inv);
        var ssc = new SscOptions { Solver = SscSolver.Omp };
        var whole = Units(Path.Combine(shared, $"split-whole-{n}-{d}"), 1, n, d, ssc)[0];
        var clock = Stopwatch.StartNew();
        var receipt = whole.Execute(shared, LocalUnitRunner.WorkerName);
        Console.WriteLine(JsonSerializer.Serialize(new { side = "split-whole", n, d, seconds = clock.Elapsed.TotalSeconds, gram_s = receipt.GramSeconds, solve_s = receipt.Seconds, load = Load() }));
        using var client = await SubspaceCluster.ConnectAsync(SubspaceCluster.LoadConfiguration(config));
        foreach (var side in new[] { "local", "cluster" })
        {
            var layer = Units(Path.Combine(shared, $"split-{side}-{n}-{d}"), 1, n, d, ssc)[0];
            var parts = layer.Parts(shared, blocks);
            IUnitRunner runner = side == "local" ? new LocalUnitRunner(shared) : new ClusterUnitRunner(SubspaceCluster.Client(client), shared);
            clock.Restart();
            var receipts = await runner.RunAsync(parts);
            double seconds = clock.Elapsed.TotalSeconds;
            bool same = File.ReadAllBytes(Path.Combine(shared, whole.ResultPath)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(shared, layer.ResultPath)))
                && File.ReadAllBytes(Path.Combine(shared, whole.CentredGramPath)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(shared, layer.CentredGramPath)));
            var kinds = parts.Zip(receipts).GroupBy(p => p.First.GetType().Name)
                .ToDictionary(g => g.Key, g => new { units = g.Count(), read_s = g.Sum(p => p.Second.ReadSeconds), gram_s = g.Sum(p => p.Second.GramSeconds), solve_s = g.Sum(p => p.Second.Seconds), centred_s = g.Sum(p => p.Second.CentredGramSeconds) });
            Console.WriteLine(JsonSerializer.Serialize(new { side = $"split-{side}", n, d, blocks, seconds, identical_to_whole = same, per_kind = kinds,
                per_worker = receipts.GroupBy(r => r.Worker).ToDictionary(g => g.Key, g => g.Count()), load = Load() }));
        }
        break;
    }
    default:
        throw new ArgumentException($"Unknown mode {args[0]}: trivial, cost or split.");
}

// Units relative to `shared` (the folder's parent): distinct inputs, so each unit has its own id and is executed.
List<LayerGraphUnit> Units(string folder, int count, int n, int d, SscOptions ssc, int seed = 1)
{
    Directory.CreateDirectory(folder);
    string shared = Path.GetDirectoryName(folder)!, name = Path.GetFileName(folder);
    var random = new Random(seed);
    var units = new List<LayerGraphUnit>(count);
    int dimension = Math.Min(8, d), subspaces = Math.Max(1, Math.Min(10, n / (2 * dimension)));
    for (int u = 0; u < count; u++)
    {
        var bases = Enumerable.Range(0, subspaces).Select(_ => Enumerable.Range(0, dimension * d).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()).ToArray();
        var values = new float[(long)n * d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < dimension; k++)
            {
                float c = (float)(random.NextDouble() - 0.5);
                var basis = bases[i % subspaces];
                for (int j = 0; j < d; j++) values[(long)i * d + j] += c * basis[k * d + j];
            }
        string input = $"{name}/input-{u:D5}.f32";
        string hash = ActivationMatrixFile.Write(Path.Combine(shared, input), values, d);
        units.Add(new LayerGraphUnit(input, hash, $"unit{u}", ssc, $"{name}/units"));
    }
    return units;
}

void Print(string side, int count, double seconds, object? perWorker = null)
    => Console.WriteLine(JsonSerializer.Serialize(new { side, units = count, seconds, units_per_s = count / seconds, per_worker = perWorker, load = Load() }));

static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

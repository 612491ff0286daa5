using Xunit.Abstractions;
using MLNet.Subspace.Cluster;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Pipeline;
using MLNet.Subspace.Pipeline.Units;
using Orleans.TestingHost;

namespace MLNet.Subspace.Tests.Cluster;

/// <summary>The cluster runner on Orleans' in-process test cluster (two silos) against the local runner, and the units themselves.</summary>
public class ClusterUnitRunnerTests(ITestOutputHelper output)
{
    private static readonly SscOptions Ssc = new() { Solver = SscSolver.Admm };

    /// <summary>Writes <paramref name="layers"/> activation matrices of N points on two random 3-dimensional subspaces of R^d
    /// (a fixed seed, so every folder gets the same bytes) under <c>inputs/</c>, and returns one unit per matrix.</summary>
    internal static List<LayerGraphUnit> WriteLayers(string shared, int layers, int n, int d, SscOptions ssc)
    {
        Directory.CreateDirectory(Path.Combine(shared, "inputs"));
        var random = new Random(7);
        var units = new List<LayerGraphUnit>();
        for (int l = 0; l < layers; l++)
        {
            var bases = Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, 3 * d).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()).ToArray();
            var values = new float[n * d];
            for (int i = 0; i < n; i++)
            {
                var basis = bases[i % 2];
                for (int k = 0; k < 3; k++)
                {
                    float c = (float)(random.NextDouble() - 0.5);
                    for (int j = 0; j < d; j++) values[i * d + j] += c * basis[k * d + j];
                }
            }
            string relative = $"inputs/layer-{l:D2}.f32";
            string hash = ActivationMatrixFile.Write(Path.Combine(shared, relative), values, d);
            units.Add(new LayerGraphUnit(relative, hash, $"layer{l}", ssc));
        }
        return units;
    }

    [Fact]
    public async Task Two_Silos_Write_The_Same_Result_Bytes_As_The_Local_Runner_And_Both_Take_Units()
    {
        using var temp = new TempFolder();
        string local = temp.File("local"), shared = temp.File("cluster");
        var localUnits = WriteLayers(local, layers: 4, n: 40, d: 12, Ssc);
        var clusterUnits = WriteLayers(shared, layers: 4, n: 40, d: 12, Ssc);
        Assert.Equal(localUnits.Select(u => u.Id), clusterUnits.Select(u => u.Id));
        await new LocalUnitRunner(local).RunAsync(localUnits);

        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddUnitWorkers(shared));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        output.WriteLine($"deploy {clock.Elapsed}");
        var reported = new List<UnitReceipt>();
        var receipts = await new ClusterUnitRunner(cluster.Client, shared).RunAsync(clusterUnits, new Collect(reported));

        output.WriteLine($"run {clock.Elapsed}");
        Assert.Equal(clusterUnits.Select(u => u.Id), receipts.Select(r => r.UnitId));
        Assert.Equal(4, reported.Count);
        var silos = cluster.Silos.Select(s => s.SiloAddress.ToString()).ToHashSet();
        Assert.All(receipts, r => Assert.Contains(r.Worker, silos));
        Assert.True(2 == receipts.Select(r => r.Worker).Distinct().Count(), string.Join(";", receipts.Select(r => r.Worker)) + " silos " + string.Join(",", silos)); // one unit in flight per silo: both silos work
        foreach (var unit in clusterUnits)
            Assert.Equal(File.ReadAllBytes(Path.Combine(local, unit.ResultPath)), File.ReadAllBytes(Path.Combine(shared, unit.ResultPath)));

        // Done units are found, not executed again: the same receipts come back.
        var again = await new ClusterUnitRunner(cluster.Client, shared).RunAsync(clusterUnits);
        Assert.Equal(receipts, again);
        output.WriteLine($"again {clock.Elapsed}");
    }

    [Fact]
    public async Task Two_Silos_Share_The_Parts_Of_Split_Layers_And_Write_The_Bytes_Of_The_Whole_Units()
    {
        using var temp = new TempFolder();
        string local = temp.File("local"), shared = temp.File("cluster");
        var omp = new SscOptions { Solver = SscSolver.Omp };
        var localUnits = WriteLayers(local, layers: 3, n: 120, d: 150, omp);
        var layers = WriteLayers(shared, layers: 3, n: 120, d: 150, omp);
        await new LocalUnitRunner(local).RunAsync(localUnits);
        // Every layer's Gram rows, then every block of codes, then the layers.
        var units = LayerGraphUnit.Plan(layers, shared, 4);
        Assert.Equal(3 * (1 + 4 + 1), units.Count);
        Assert.Equal(["gram", "gram", "gram", "codes"], units.Take(4).Select(u => u.Id.Split('-')[0]));

        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddUnitWorkers(shared));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var receipts = await new ClusterUnitRunner(cluster.Client, shared).RunAsync(units);

        Assert.Equal(units.Select(u => u.Id), receipts.Select(r => r.UnitId));
        Assert.Equal(2, receipts.Take(15).Select(r => r.Worker).Distinct().Count()); // both silos took parts
        foreach (var unit in layers)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(local, unit.ResultPath)), File.ReadAllBytes(Path.Combine(shared, unit.ResultPath)));
            Assert.Equal(File.ReadAllBytes(Path.Combine(local, unit.CentredGramPath)), File.ReadAllBytes(Path.Combine(shared, unit.CentredGramPath)));
        }

        // The linear CKA over the three centred Grams, as 4 units of 2 row blocks on the silos: the bits of the pass in one process.
        var grams = layers.Select(u => u.CentredGramPath).ToList();
        var hashes = layers.Select(u => receipts.Single(r => r.UnitId == u.Id).CentredGramHash!).ToList();
        Assert.Equal(grams.Select(g => ActivationMatrixFile.ContentHash(Path.Combine(shared, g))), hashes);
        var cka = CkaRowsUnit.Plan(grams, hashes, 120, 4, "units", blockRows: 16);
        var ckaReceipts = await new ClusterUnitRunner(cluster.Client, shared).RunAsync(cka);
        Assert.Equal(2, ckaReceipts.Select(r => r.Worker).Distinct().Count());
        var direct = CentredGramProducts.Products(3, 120, 16,
            (start, count) => StreamedEpoch.ReadRows(grams.Select(g => Path.Combine(local, g)).ToList(), start, count, 120));
        Assert.Equal(direct, CkaRowsUnit.Products(shared, cka));
    }

    [Fact]
    public void A_Unit_Executed_Twice_Writes_The_Same_Bytes_And_Its_Id_Ignores_The_Device()
    {
        using var temp = new TempFolder();
        var unit = WriteLayers(temp.Path, layers: 1, n: 30, d: 8, Ssc)[0];
        var first = unit.Execute(temp.Path, "a");
        byte[] bytes = File.ReadAllBytes(Path.Combine(temp.Path, unit.ResultPath));
        Assert.Equal(first, unit.Execute(temp.Path, "b")); // done: the receipt of the execution that wrote it
        File.Delete(Path.Combine(temp.Path, unit.ResultPath));
        File.Delete(Path.Combine(temp.Path, unit.ReceiptPath));
        Assert.Equal("b", unit.Execute(temp.Path, "b").Worker);
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(temp.Path, unit.ResultPath)));

        Assert.Equal(unit.Id, (unit with { Ssc = Ssc with { Device = TorchSharp.torch.CPU } }).Id);
        Assert.NotEqual(unit.Id, (unit with { Ssc = Ssc with { Alpha = 30 } }).Id);
        Assert.NotEqual(unit.Id, (unit with { Layer = "other" }).Id);
        Assert.NotEqual(unit.Id, (unit with { InputHash = new string('0', 64) }).Id);
        Assert.Equal(unit, (LayerGraphUnit)WorkUnit.FromJson(unit.ToJson()) with { Ssc = unit.Ssc });
        Assert.Equal(unit.Id, WorkUnit.FromJson(unit.ToJson()).Id);
        var loaded = unit.LoadResult(temp.Path);
        Assert.Equal("layer0", loaded.Layer);
        Assert.Equal(unit.LoadReceipt(temp.Path).Seconds, loaded.Expression.Seconds);
    }

    [Fact]
    public void A_Unit_Refuses_An_Input_That_Changed_And_Paths_Outside_The_Shared_Folder()
    {
        using var temp = new TempFolder();
        var unit = WriteLayers(temp.Path, layers: 1, n: 10, d: 4, Ssc)[0];
        var changed = unit with { InputHash = new string('0', 64) };
        var error = Assert.Throws<InvalidDataException>(() => changed.Execute(temp.Path, "local"));
        Assert.Contains("content hash", error.Message);
        Assert.Throws<InvalidDataException>(() => (unit with { Input = "../outside.f32" }).Execute(temp.Path, "local"));
        Assert.False(changed.IsDone(temp.Path));
    }

    private sealed class Collect(List<UnitReceipt> into) : IProgress<UnitReceipt>
    {
        public void Report(UnitReceipt value)
        {
            lock (into) into.Add(value);
        }
    }
}

using MLNet.Subspace.Cluster;
using MLNet.Subspace.Data;
using MLNet.Subspace.Models;
using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Pipeline;
using Orleans.TestingHost;

namespace MLNet.Subspace.Tests.Pipeline;

/// <summary>One seed, one result: two runs of the whole method with the same settings write the same bytes.</summary>
[Collection(TorchGlobalRng.Name)]
public class ReproducibilityTests
{
    /// <summary>The only table of a run folder that holds wall-clock time, which no seed fixes.</summary>
    internal const string Timings = "timings.csv";

    private static readonly Lazy<(ImageDataset Train, ImageDataset Test)> Data = new(() =>
    {
        var train = IdxReader.LoadFashionMnist(TestPaths.FashionMnist, train: true);
        var test = IdxReader.LoadFashionMnist(TestPaths.FashionMnist, train: false);
        return (train, test.Select(ProbeSampling.ClassBalanced(test.Labels, 10, 40, new Random(0))));
    });

    private static AnalysisRunOptions Small(int seed) => new()
    {
        Model = "smallcnn-3-8",
        Epochs = 2,
        TrainingFraction = 0.03,
        ProbesPerClass = 10,
        MisclassifiedCases = 3,
        Seed = seed,
        Ssc = new() { Solver = SscSolver.Omp },
    };

    [Fact]
    public void Two_Runs_With_One_Seed_Write_Byte_Identical_Snapshots_And_Csv_Files()
    {
        using var temp = new TempFolder();
        string a = temp.File("a"), b = temp.File("b"), other = temp.File("other");

        AnalysisRun.TrainAndAnalyze(null, Data.Value.Train, Data.Value.Test, a, Small(3));
        AnalysisRun.TrainAndAnalyze(null, Data.Value.Train, Data.Value.Test, b, Small(3));
        AnalysisRun.TrainAndAnalyze(null, Data.Value.Train, Data.Value.Test, other, Small(4));

        var snapshots = Directory.GetFiles(Path.Combine(a, "snapshots"), "*.pt").Select(f => Path.GetFileName(f)).Order().ToArray();
        Assert.Equal(["epoch-001.optim.pt", "epoch-001.pt", "epoch-002.optim.pt", "epoch-002.pt"], snapshots);
        foreach (string file in snapshots)
            Assert.True(File.ReadAllBytes(Path.Combine(a, "snapshots", file)).SequenceEqual(File.ReadAllBytes(Path.Combine(b, "snapshots", file))), $"snapshots/{file} differs between two runs with seed 3");
        // The comparison can tell runs apart: another seed starts from other weights.
        Assert.False(File.ReadAllBytes(Path.Combine(a, "snapshots", "epoch-001.pt")).SequenceEqual(File.ReadAllBytes(Path.Combine(other, "snapshots", "epoch-001.pt"))));

        Assert.True(File.Exists(Path.Combine(a, "training.csv")));
        Assert.True(File.Exists(Path.Combine(a, "neighbours.csv")));
        AssertSameTables(a, b, "between two runs with seed 3");
        Assert.False(File.ReadAllBytes(Path.Combine(a, "layerwise.csv")).SequenceEqual(File.ReadAllBytes(Path.Combine(other, "layerwise.csv"))));
    }

    [Fact]
    public void Without_A_Seed_In_The_Options_The_MLContext_Seed_Is_The_Seed()
    {
        using var temp = new TempFolder();
        var fromContext = Small(7);
        fromContext.Seed = null;

        AnalysisRun.TrainAndAnalyze(new Microsoft.ML.MLContext(seed: 7), Data.Value.Train, Data.Value.Test, temp.File("context"), fromContext);
        AnalysisRun.TrainAndAnalyze(null, Data.Value.Train, Data.Value.Test, temp.File("options"), Small(7));

        Assert.Null(fromContext.Seed); // the caller's options are left as they were
        AssertSameTables(temp.File("context"), temp.File("options"), "between MLContext(seed: 7) and Seed = 7");
        Assert.Contains("\"Seed\": 7", File.ReadAllText(Path.Combine(temp.File("context"), "manifest.json")));
    }

    [Fact]
    public void A_Rerun_On_Other_Data_Of_The_Same_Size_Is_Refused_And_Names_The_Input()
    {
        using var temp = new TempFolder();
        string weights = temp.File("w.pt");
        using (var model = ModelZoo.Create("smallcnn-2-8", 1, 28, 10)) ModelWeights.Save(model, weights);
        var test = Data.Value.Test;
        var options = Small(3);
        options.Ssc = new();
        AnalysisRun.AnalyzeSnapshots(null, "smallcnn-2-8", [(1, weights)], test, temp.File("run"), options);
        // Same count, shape and classes: only the pixels differ.
        var other = new ImageDataset(test.Pixels.Select(v => 1 - v).ToArray(), test.Labels, test.Channels, test.Height, test.Width, test.ClassNames);

        var e = Assert.Throws<IOException>(() => AnalysisRun.AnalyzeSnapshots(null, "smallcnn-2-8", [(1, weights)], other, temp.File("run"), options));

        Assert.Contains("input 'test'", e.Message);
        Assert.Contains("sha256", e.Message);
    }

    [Fact]
    public void Layers_Split_Into_Column_Blocks_Give_The_Same_Graphs_And_Tables()
    {
        using var temp = new TempFolder();
        string whole = temp.File("whole"), split = temp.File("split");
        var options = Small(3);
        AnalysisRun.TrainAndAnalyze(null, Data.Value.Train, Data.Value.Test, whole, options);
        options.ColumnBlocks = 3;
        AnalysisRun.TrainAndAnalyze(null, Data.Value.Train, Data.Value.Test, split, options);

        AssertSameResults(whole, split, "between one unit per layer and layers split into 3 column blocks");
        // Each layer was 1 Gram rows unit, 3 code units and the unit that put them together, and the linear CKA 1 unit (N = 100:
        // one row block); the table says who did each.
        string units = File.ReadAllText(Directory.GetFiles(Path.Combine(split, "units"), "units.csv", SearchOption.AllDirectories)[0]);
        Assert.StartsWith("unit,description,worker,seconds", units);
        Assert.Contains(", codes 3 of 3\",local,", units);
        Assert.Contains(", Gram rows 1 of 1\",local,", units);
        Assert.Contains("\"linear CKA, rows 1-100 of 100\",local,", units);
    }

    [Fact]
    public async Task An_Analysis_Run_On_Two_In_Process_Silos_Gives_The_Results_Of_The_Local_Run()
    {
        using var temp = new TempFolder();
        string local = temp.File("local"), clustered = temp.File("cluster");
        AnalysisRun.TrainAndAnalyze(null, Data.Value.Train, Data.Value.Test, local, Small(3));

        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddUnitWorkers(temp.Path));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var options = Small(3);
        options.UnitRunner = new ClusterUnitRunner(cluster.Client, temp.Path);
        options.ColumnBlocks = 2;
        var result = AnalysisRun.TrainAndAnalyze(null, Data.Value.Train, Data.Value.Test, clustered, options);

        AssertSameResults(local, clustered, "between the local runner and two silos");
        var silos = cluster.Silos.Select(s => s.SiloAddress.ToString()).Order().ToList();
        Assert.Equal(silos, result.Findings.Workers.Select(w => w.Worker)); // both silos computed units, the report says so
    }

    /// <summary>The tables (<see cref="AssertSameTables"/>), every epoch's tables, and the units' graphs (the run's graphs/ add the
    /// solve's wall-clock seconds) of run folder <paramref name="b"/> are those of <paramref name="a"/>.</summary>
    private static void AssertSameResults(string a, string b, string why)
    {
        AssertSameTables(a, b, why);
        var graphs = Directory.GetFiles(Path.Combine(a, "units"), "*.graph", SearchOption.AllDirectories);
        Assert.NotEmpty(graphs);
        var epochTables = Directory.GetFiles(Path.Combine(a, "graphs"), "*.csv", SearchOption.AllDirectories).Where(c => !c.EndsWith(Timings, StringComparison.Ordinal));
        foreach (string file in graphs.Concat(epochTables))
            Assert.True(File.ReadAllBytes(file).SequenceEqual(File.ReadAllBytes(Path.Combine(b, Path.GetRelativePath(a, file)))), $"{Path.GetRelativePath(a, file)} differs {why}");
    }

    /// <summary>Every CSV of run folder <paramref name="a"/> is byte-identical to the same file in <paramref name="b"/>, except timings.csv.</summary>
    internal static void AssertSameTables(string a, string b, string why)
    {
        var csvs = Directory.GetFiles(a, "*.csv").Select(f => Path.GetFileName(f)).Order().ToArray();
        Assert.Contains(Timings, csvs);
        Assert.Contains("layerwise.csv", csvs);
        foreach (string csv in csvs.Where(c => c != Timings))
            Assert.True(File.ReadAllBytes(Path.Combine(a, csv)).SequenceEqual(File.ReadAllBytes(Path.Combine(b, csv))), $"{csv} differs {why}");
    }
}

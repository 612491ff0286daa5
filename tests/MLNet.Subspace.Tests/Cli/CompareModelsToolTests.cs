using System.Text.Json;
using Microsoft.ML;
using MLNet.Subspace.ML;
using MLNet.Subspace.Tests.ML;

namespace MLNet.Subspace.Tests.Cli;

/// <summary><c>subspace compare-models</c> as a user runs it on saved ML.NET trials.</summary>
public class CompareModelsToolTests
{
    private static string Tool => TestPaths.BuiltAssembly(Path.Combine("src", "MLNet.Subspace.Cli"), "subspace");

    private static (int ExitCode, string Output) Subspace(string arguments, string workingDirectory, bool stdoutOnly = false)
    {
        Assert.True(File.Exists(Tool), $"{Tool} is missing: build the solution first.");
        return ProcessRunner.Run("dotnet", $"\"{Tool}\" {arguments}", workingDirectory, TimeSpan.FromMinutes(5), stdoutOnly: stdoutOnly);
    }

    private static string Models => string.Join(" ", TrialModels.Instance.Paths.Select(p => $"\"{p}\""));

    [Fact]
    public void Five_Saved_Trainers_Give_One_Json_Object_And_A_Report()
    {
        using var temp = new TempFolder();
        string output = temp.File("out");

        var (code, stdout) = Subspace($"compare-models {Models} --data fashion-mnist:{TestPaths.FashionMnist} --probes-per-class 10 --feature Features --out \"{output}\"", temp.Path, stdoutOnly: true);

        Assert.True(code == 0, stdout);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(100, root.GetProperty("inputs").GetInt32());
        Assert.Equal(TrialModels.Names, root.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(10, root.GetProperty("cka").GetProperty("names").GetArrayLength());
        Assert.All(root.GetProperty("trials").EnumerateArray(), t => Assert.InRange(t.GetProperty("accuracy").GetDouble(), 0.4, 1.0));
        Assert.True(File.Exists(Path.Combine(output, "report.html")));
        Assert.True(File.Exists(Path.Combine(output, "disagreements.csv")));
    }

    [Fact]
    public void Help_Explains_The_Data_The_Models_Must_Read()
    {
        using var temp = new TempFolder();

        var (code, output) = Subspace("compare-models --help", temp.Path);

        Assert.True(code == 0, output);
        Assert.Contains("subspace compare-models <models>... [", output);
        Assert.Contains("--feature", output);
        Assert.Contains("'Features' vector", output);
    }

    [Fact]
    public void Bad_Models_Are_One_Error_Line_And_Exit_2_Before_Anything_Is_Written()
    {
        using var temp = new TempFolder();
        string notModel = temp.File("notes.zip");
        File.WriteAllText(notModel, "not a model");
        // A model trained on four features cannot read 28 x 28 images: the error says what it expects.
        var ml = new MLContext(seed: 1);
        var blobs = InMemoryDataView.Create(30).AddVector(ColumnNames.Features, Enumerable.Range(0, 120).Select(i => (float)(i % 7)).ToArray(), [4])
            .AddKey(ColumnNames.Label, Enumerable.Range(0, 30).Select(i => i % 3).ToArray(), ["a", "b", "c"]).Build();
        string small = temp.File("four-features.zip");
        ml.Model.Save(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 2).Fit(blobs), blobs.Schema, small);
        string first = $"\"{TrialModels.Instance.Paths[0]}\"";
        string data = $"--data fashion-mnist:{TestPaths.FashionMnist} --probes-per-class 2 --out out";

        foreach (var (args, expected) in new[]
        {
            ($"compare-models {first} {data}", "at least two model files"),
            ($"compare-models {first} {first} --probes-per-class 0", "--probes-per-class"),
            ($"compare-models {first} \"{notModel}\" {data}", "is not an ML.NET model: it is not a .zip file"),
            ($"compare-models {first} \"{temp.File("absent.zip")}\" {data}", "absent.zip' does not exist"),
            ($"compare-models {first} \"{small}\" {data}", "column 'Features' is Vector<Single, 1, 28, 28> where the model was trained on Vector<Single, 4>"),
        })
        {
            var (code, output) = Subspace(args, temp.Path);
            Assert.True(code == 2, $"{args}\n{output}");
            Assert.StartsWith("error: ", output.Trim());
            Assert.Contains(expected, output);
            Assert.Single(output.Trim().Split('\n'));
            Assert.False(Directory.Exists(temp.File("out")), args);
        }
    }
}

namespace MLNet.Subspace.Tests.Cli;

/// <summary><c>subspace analyze --onnx</c> as a user runs it, on the smallcnn-3-4 fixture (1x8x8 input) with Fashion-MNIST probes resized to it.</summary>
public class OnnxAnalyzeToolTests
{
    private static string Tool => TestPaths.BuiltAssembly(Path.Combine("src", "MLNet.Subspace.Cli"), "subspace");
    private static string Model => TestPaths.Fixture("onnx", "smallcnn-3-4.onnx");

    private static (int ExitCode, string Output) Subspace(string arguments, string workingDirectory)
    {
        Assert.True(File.Exists(Tool), $"{Tool} is missing: build the solution first (dotnet test MLNet.Subspace.sln builds it).");
        return ProcessRunner.Run("dotnet", $"\"{Tool}\" {arguments}", workingDirectory, TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void Analyze_Onnx_Writes_The_Report_Over_The_Chosen_Nodes()
    {
        using var temp = new TempFolder();
        string run = temp.File("run");

        var (code, output) = Subspace($"analyze --onnx \"{Model}\" --onnx-op Relu --data fashion-mnist:{TestPaths.FashionMnist} --probes-per-class 4 --out \"{run}\" --seed 3", temp.Path);

        Assert.True(code == 0, output);
        Assert.True(File.Exists(Path.Combine(run, "report.html")), output);
        Assert.Contains("does not score the probes' classes", output); // 3 outputs, 10 Fashion-MNIST classes
        string manifest = File.ReadAllText(Path.Combine(run, "manifest.json"));
        Assert.Contains("analyze-onnx", manifest);
        Assert.Contains("smallcnn-3-4.onnx", manifest);
        var layerwise = File.ReadAllLines(Path.Combine(run, "layerwise.csv"));
        Assert.Equal(1 + 3, layerwise.Length); // header + the three Relu nodes
        Assert.All(layerwise.Skip(1), line => Assert.Contains("/relu/Relu", line));
    }

    [Theory]
    [InlineData("--onnx {t}/text.onnx", "text.onnx is not an ONNX model")]
    [InlineData("--onnx {m} --layer conv9", "Unknown node 'conv9'")]
    [InlineData("--onnx {m} --weights w.pt", "Give one model source")]
    [InlineData("--onnx {m} --onnx-input 3,8", "'--onnx-input' option must be three positive integers")]
    [InlineData("--onnx {m} --onnx-input 3,8,8", "does not fit input 'input'")]
    [InlineData("--onnx {m} --onnx-normalize imagenet", "ImageNet normalisation needs a 3-channel")]
    [InlineData("--onnx {t}/missing.onnx", "missing.onnx does not exist")]
    public void Bad_Onnx_Input_Is_One_Error_Line_And_Exit_Code_2(string arguments, string expected)
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("text.onnx"), "not a model\n");
        string args = arguments.Replace("{t}", temp.Path).Replace("{m}", $"\"{Model}\"");

        var (code, output) = Subspace($"analyze {args} --data fashion-mnist:{TestPaths.FashionMnist} --out \"{temp.File("run")}\"", temp.Path);

        Assert.Equal(2, code);
        Assert.Contains("error: ", output);
        Assert.Contains(expected.Replace("{t}", temp.Path), output);
        Assert.False(Directory.Exists(temp.File("run")), "nothing is written before the input is checked");
    }
}

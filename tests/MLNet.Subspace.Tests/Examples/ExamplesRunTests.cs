namespace MLNet.Subspace.Tests.Examples;

/// <summary>Every example program runs to the end on real Fashion-MNIST (each trains a small network briefly, so this is slow).</summary>
public class ExamplesRunTests
{
    [Theory]
    [Trait("Category", "Slow")]
    [InlineData("LoadFashionMnist", "logits 200x10")]
    [InlineData("MLNetPipeline", "SSC on features.3.conv")]
    [InlineData("DataFrameReport", "dataframes.html")]
    [InlineData("TrainingDynamics", "settle_epoch_ssc_cka")]
    [InlineData("OnnxResNet18", "depth-modularity correlation")]
    public void Example_Runs_And_Prints_Its_Result(string example, string expected)
    {
        string dll = TestPaths.BuiltAssembly(Path.Combine("examples", example), example);
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution first (dotnet test MLNet.Subspace.sln builds it).");
        using var temp = new TempFolder();
        string[] extra = example is "DataFrameReport" or "TrainingDynamics" ? [temp.Path] : example is "OnnxResNet18" ? [temp.Path, "3"] : [];

        var (code, output) = ProcessRunner.Run("dotnet", string.Join(" ", new[] { $"\"{dll}\"", TestPaths.FashionMnist }.Concat(extra)), temp.Path, TimeSpan.FromMinutes(15));

        Assert.True(code == 0, output);
        Assert.Contains(expected, output);
    }
}

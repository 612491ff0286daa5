namespace MLNet.Subspace.Tests.Cli;

/// <summary>The <c>subspace</c> tool as a user runs it: a separate process, its exit code and what it prints.</summary>
public class SubspaceToolTests
{
    private static string Tool => TestPaths.BuiltAssembly(Path.Combine("src", "MLNet.Subspace.Cli"), "subspace");

    private static (int ExitCode, string Output) Subspace(string arguments, string workingDirectory, int minutes = 5)
    {
        Assert.True(File.Exists(Tool), $"{Tool} is missing: build the solution first (dotnet test MLNet.Subspace.sln builds it).");
        return ProcessRunner.Run("dotnet", $"\"{Tool}\" {arguments}", workingDirectory, TimeSpan.FromMinutes(minutes));
    }

    [Fact]
    public void Demo_Writes_A_Report_Prints_The_Summary_And_Resumes_And_Analyze_Reads_Its_Snapshots()
    {
        using var temp = new TempFolder();
        string run = temp.File("run");
        string args = $"demo --data {TestPaths.FashionMnist} --out \"{run}\" --model smallcnn-2-8 --epochs 2 --fraction 0.02 --probes-per-class 8 --seed 3";

        var (code, output) = Subspace(args, temp.Path);

        Assert.True(code == 0, output);
        Assert.Contains("Per-layer summary", output);
        Assert.Contains("Depth vs modularity (Spearman rho)", output);
        Assert.Contains("(80 probes)", output);
        string dom = HeadlessChromium.DumpDom(Path.Combine(run, "report.html"));
        Assert.Contains("SSC-CKA between layers", dom);
        string snapshot = Path.Combine(run, "snapshots", "epoch-002.pt");
        var written = File.GetLastWriteTimeUtc(snapshot);

        var (again, againOutput) = Subspace(args, temp.Path);

        Assert.True(again == 0, againOutput);
        Assert.Equal(written, File.GetLastWriteTimeUtc(snapshot));

        string analysis = temp.File("analysis");
        var (analyzed, analyzeOutput) = Subspace($"analyze --data fashion-mnist:{TestPaths.FashionMnist} --model smallcnn-2-8 --snapshots \"{Path.Combine(run, "snapshots")}\" --out \"{analysis}\" --probes-per-class 8 --seed 3", temp.Path);

        Assert.True(analyzed == 0, analyzeOutput);
        Assert.True(File.Exists(Path.Combine(analysis, "report.html")), analyzeOutput);
        Assert.Equal(1 + 2 * 2, File.ReadAllLines(Path.Combine(analysis, "dynamics.csv")).Length);   // header + 2 layers x 2 epochs
    }

    [Theory]
    [InlineData("demo --out {file}/run --epochs 1", "is not writable")]
    [InlineData("demo --data {temp}/nowhere", "not found in {temp}/nowhere")]
    [InlineData("demo --model resnet7", "Unknown model 'resnet7'")]
    [InlineData("analyze --model smallcnn-2-8 --weights {temp}/missing.pt --out {temp}/run", "{temp}/missing.pt")]
    public void Bad_Input_Is_One_Line_That_Names_It(string arguments, string expected)
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("file"), "");
        string Fill(string s) => s.Replace("{file}", temp.File("file")).Replace("{temp}", temp.Path);

        var (code, output) = Subspace(Fill(arguments), temp.Path);

        Assert.Equal(2, code);
        Assert.Contains("error: ", output);
        Assert.Contains(Fill(expected), output);
        Assert.DoesNotContain("   at ", output);
        Assert.False(File.Exists(Path.Combine(temp.Path, "run", "report.html")));
    }

    [Theory]
    [InlineData("cka --x {fx}/cka/X.csv --y {fx}/cka/Y.csv", "cka", 0.55761, 5e-6)]                                  // Kornblith's golden linear CKA
    [InlineData("cka --x {fx}/cka/X.csv --y {fx}/cka/Y.csv --kernel rbf --threshold 0.5", "cka", 0.65483, 5e-6)]    // and RBF
    [InlineData("modularity --w {fx}/graphs/g1_W.csv --y {fx}/graphs/g1_y.csv", "modularity", 0.341187552170711, 1e-12)] // networkx, fixtures/graphs/expected.csv
    public void Maths_Commands_Print_The_Peer_Values_As_Json(string arguments, string key, double expected, double tolerance)
    {
        using var temp = new TempFolder();

        var (code, output) = Subspace(arguments.Replace("{fx}", TestPaths.Fixtures), temp.Path, minutes: 1);

        Assert.True(code == 0, output);
        using var json = System.Text.Json.JsonDocument.Parse(output.Trim().Split('\n').Last());
        Assert.Equal(expected, json.RootElement.GetProperty(key).GetDouble(), tolerance);
    }

    [Theory]
    [InlineData("demo", "--probes-per-class")]
    [InlineData("train", "--fraction")]
    [InlineData("analyze", "--weights")]
    [InlineData("compare", "--run")]
    [InlineData("report", "--run")]
    [InlineData("ssc", "--solver")]
    [InlineData("cka", "--kernel")]
    [InlineData("modularity", "--louvain")]
    [InlineData("bench-cka graphs", "--layers")]
    [InlineData("bench-torch", "--mode")]
    public void Every_Command_Explains_Its_Options(string command, string option)
    {
        using var temp = new TempFolder();

        var (code, output) = Subspace($"{command} --help", temp.Path, minutes: 1);

        Assert.True(code == 0, output);
        Assert.Contains($"subspace {command} [", output);
        Assert.Contains(option, output);
    }

    [Fact]
    public void Two_Train_Runs_With_One_Seed_Write_Byte_Identical_Snapshots()
    {
        using var temp = new TempFolder();
        string Args(string folder) => $"train --data fashion-mnist:{TestPaths.FashionMnist} --model smallcnn-2-8 --epochs 1 --fraction 0.01 --batch 32 --seed 5 --out \"{temp.File(folder)}\"";

        foreach (string folder in new[] { "a", "b" })
        {
            var (code, output) = Subspace(Args(folder), temp.Path);
            Assert.True(code == 0, output);
        }

        foreach (string file in new[] { "epoch-001.pt", "epoch-001.optim.pt" })
            Assert.True(File.ReadAllBytes(Path.Combine(temp.File("a"), file)).SequenceEqual(File.ReadAllBytes(Path.Combine(temp.File("b"), file))), $"{file} differs between two runs with --seed 5");
        // The metadata too, but for the epoch's wall-clock seconds.
        static string[] Metadata(string path) => File.ReadAllLines(path).Where(l => !l.TrimStart().StartsWith("\"Seconds\"", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Metadata(Path.Combine(temp.File("a"), "epoch-001.json")), Metadata(Path.Combine(temp.File("b"), "epoch-001.json")));
        Assert.Contains(Metadata(Path.Combine(temp.File("a"), "epoch-001.json")), l => l.Contains("\"TrainLoss\""));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Readme_Main_Command_Produces_The_Report()
    {
        // The README's first command, as written there (after the apt-get step), with --out in a temporary folder.
        string readme = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md"));
        string line = readme.Split('\n').Single(l => l.Contains("-- demo") && l.Contains("dotnet run"));
        string command = line[(line.IndexOf("dotnet run", StringComparison.Ordinal))..].Trim();
        Assert.Equal("dotnet run --project src/MLNet.Subspace.Cli -c Release -- demo", command);
        using var temp = new TempFolder();

        var (code, output) = ProcessRunner.Run("dotnet", $"{command["dotnet ".Length..]} --out \"{temp.File("demo")}\"", TestPaths.RepoRoot, TimeSpan.FromMinutes(20));

        Assert.True(code == 0, output);
        string dom = HeadlessChromium.DumpDom(Path.Combine(temp.File("demo"), "report.html"));
        Assert.Contains("SSC-CKA between layers", dom);
        Assert.Contains("fill:rgb(8,29,88)", dom);
    }
}

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

    // Every command, every class of bad input: options that do not parse, values out of range, unknown names, missing,
    // empty, corrupt or mismatched files, folders that cannot be written. {t} is the (working) folder, {file} a plain file
    // in it, {fx} the fixtures; the files named below are made by BadInputFolder. Cases that would train fail before training.
    [Theory]
    // option parsing (System.CommandLine)
    [InlineData("demo --epochs abc --out run", "--epochs")]
    [InlineData("demo --bogus", "--bogus")]
    [InlineData("frobnicate", "frobnicate")]
    [InlineData("train", "--out")]
    [InlineData("train --schedule bogus --out run", "bogus")]
    [InlineData("cka --x ok.csv --y ok.csv --kernel poly", "poly")]
    [InlineData("ssc --x ok.csv --k 1.5", "--k")]
    [InlineData("ssc --x ok.csv --clusters two", "--clusters")]
    [InlineData("analyze --model smallcnn-2-8 --alpha x --weights w.pt --out run", "--alpha")]
    [InlineData("modularity --w sym.csv", "--y")]
    // demo: every setting is checked before a manifest is written or a batch trained
    [InlineData("demo --model lenet --out run", "'lenet'")]
    [InlineData("demo --alpha -5 --out run", "--alpha")]
    [InlineData("demo --k 0 --out run", "--k")]
    [InlineData("demo --initial-support 0 --solver ensc --out run", "--initial-support")]
    [InlineData("demo --solver lars --out run", "lars")]
    [InlineData("demo --dtype float16 --out run", "float16")]
    [InlineData("demo --probes-per-class 1 --out run", "--probes-per-class")]
    [InlineData("demo --probes-per-class 100000 --out run", "100000")]
    [InlineData("demo --layer nope --out run", "'nope'")]
    [InlineData("demo --epochs 0 --out run", "--epochs")]
    [InlineData("demo --column-blocks 0 --out run", "--column-blocks")]
    [InlineData("demo --column-blocks 30 --probes-per-class 2 --out run", "The '--column-blocks' option (30) splits each layer's 20 probe inputs into blocks of codes: it must be at most N = 20.")]
    [InlineData("demo --column-blocks 3 --solver admm --out run", "The '--column-blocks' option (3) splits a layer's codes into blocks, which only the omp solver")]
    [InlineData("demo --fraction 1.5 --out run", "--fraction")]
    [InlineData("demo --lr -1 --out run", "--lr")]
    [InlineData("demo --settle-threshold 2 --out run", "--settle-threshold")]
    [InlineData("demo --out {file}/run --epochs 1", "{file}/run")]
    [InlineData("demo --out \"\"", "--out")]
    [InlineData("demo --data {t}/nowhere --out run", "not found in {t}/nowhere")]
    [InlineData("demo --model resnet7 --out run", "Unknown model 'resnet7'")]
    // run folders holding damaged state
    [InlineData("demo --out corrupt-manifest", "corrupt-manifest/manifest.json is corrupt at line 1")]
    [InlineData("demo --out empty-manifest", "empty-manifest/manifest.json is empty")]
    [InlineData("demo --out corrupt-progress", "corrupt-progress/progress.json is corrupt at line 1")]
    // train
    [InlineData("train --out \"\"", "--out")]
    [InlineData("train --model lenet --out run", "'lenet'")]
    [InlineData("train --epochs 0 --out run", "--epochs")]
    [InlineData("train --batch 0 --out run", "--batch")]
    [InlineData("train --fraction 0 --out run", "--fraction")]
    [InlineData("train --lr 0 --out run", "--lr")]
    [InlineData("train --data bogus:x --out run", "'bogus:x'")]
    [InlineData("train --data cifar10:{t}/nowhere --out run", "{t}/nowhere")]
    [InlineData("train --model smallcnn-2-8 --out {file}/run", "{file}/run")]
    [InlineData("train --model smallcnn-2-8 --epochs 1 --out corrupt-snapshots", "corrupt-snapshots/epoch-001.json is corrupt at line 1")]
    // analyze
    [InlineData("analyze --model smallcnn-2-8 --weights {t}/missing.pt --out run", "{t}/missing.pt")]
    [InlineData("analyze --model smallcnn-2-8 --weights random.pt --out run", "random.pt is corrupt or not a TorchSharp weights file")]
    [InlineData("analyze --model smallcnn-2-8 --weights epoch-001.optim.pt --out run", "epoch-001.optim.pt is corrupt or not a TorchSharp weights file (an epoch-NNN.optim.pt file is the optimizer's state")]
    [InlineData("analyze --model smallcnn-2-8 --weights random.safetensors --out run", "random.safetensors is corrupt or not a safetensors weights file")]
    [InlineData("analyze --model smallcnn-2-8 --weights {fx}/weights/smallcnn-1x8x8-w2-l2-c3.pth --out run", "smallcnn-1x8x8-w2-l2-c3.pth does not fit the architecture")]
    [InlineData("analyze --model smallcnn-2-8 --out run", "--weights")]
    [InlineData("analyze --model smallcnn-2-8 --weights random.pt --snapshots empty-folder --out run", "--snapshots")]
    [InlineData("analyze --model smallcnn-2-8 --snapshots {t}/nowhere --out run", "{t}/nowhere")]
    [InlineData("analyze --model smallcnn-2-8 --snapshots empty-folder --out run", "empty-folder")]
    [InlineData("analyze --model lenet --weights random.pt --out run", "'lenet'")]
    [InlineData("analyze --model smallcnn-2-8 --weights random.pt --similarity svcca,cka --out run", "'--similarity' option must be one of linear-cka")]
    // compare and report
    [InlineData("compare --run a=corrupt-table --out out", "--run")]
    [InlineData("report --run {t}/nowhere --out out", "{t}/nowhere")]
    [InlineData("report --run corrupt-table --out out", "corrupt-table/summary.csv has no column 'layers'")]
    [InlineData("report --run empty-table --out out", "empty-table/summary.csv is empty")]
    [InlineData("report --run text-table --out out", "text-table/summary.csv: line 2, column 'test_accuracy'")]
    [InlineData("report --run corrupt-table --out {file}/out", "corrupt-table/summary.csv")]
    // blocks: options checked before any file is read
    [InlineData("blocks --run {t}/nowhere", "{t}/nowhere/ssc_cka.csv")]
    [InlineData("blocks --run corrupt-table", "corrupt-table/ssc_cka.csv")]
    [InlineData("blocks --run nonsquare-matrix", "nonsquare-matrix/ssc_cka.csv is not an L x L similarity table")]
    [InlineData("blocks --run text-matrix", "text-matrix/ssc_cka.csv: line 3, column 'b': expected a number")]
    [InlineData("blocks --run {t}/nowhere --permutations 0", "'--permutations' option must be an integer of 1 or more")]
    [InlineData("blocks --run {t}/nowhere --max-blocks 0", "'--max-blocks' option")]
    [InlineData("blocks --run {t}/nowhere --significance 1", "'--significance' option must be in (0, 1)")]
    [InlineData("blocks", "--run")]
    // ssc
    [InlineData("ssc --x {t}/missing.csv --clusters 2", "{t}/missing.csv")]
    [InlineData("ssc --x nan.csv --clusters 2", "nan.csv: line 3, column 2: expected a finite number, found 'nan'")]
    [InlineData("ssc --x text.csv --clusters 2", "text.csv: line 2, column 2")]
    [InlineData("ssc --x ragged.csv --clusters 2", "ragged.csv: line 2")]
    [InlineData("ssc --x empty.csv --clusters 2", "empty.csv")]
    [InlineData("ssc --x ok.csv --y y2.csv", "y2.csv")]
    [InlineData("ssc --x ok.csv --y fraction.csv", "fraction.csv: line 2")]
    [InlineData("ssc --x ok.csv", "--clusters")]
    [InlineData("ssc --x ok.csv --clusters 1", "--clusters")]
    [InlineData("ssc --x ok.csv --clusters 2 --alpha -5", "--alpha")]
    [InlineData("ssc --x ok.csv --clusters 2 --solver lars", "lars")]
    [InlineData("ssc --x ok.csv --clusters 2 --save-affinity {t}/nowhere/W.csv", "{t}/nowhere")]
    // cka
    [InlineData("cka --x {t}/missing.csv --y ok.csv", "{t}/missing.csv")]
    [InlineData("cka --x ok.csv --y sym.csv", "sym.csv")]
    [InlineData("cka --x nan.csv --y ok.csv", "nan.csv: line 3")]
    [InlineData("cka --x ok.csv --y ok.csv --kernel rbf --threshold -1", "--threshold")]
    [InlineData("similarity --x ok.csv --y ok.csv --measure cka", "'--measure' option must be one of linear-cka")]
    [InlineData("similarity --x ok.csv --y ok.csv --measure svcca --keep 2", "'--keep' option must be a number in (0, 1]")]
    [InlineData("similarity --x ok.csv --y sym.csv", "sym.csv")]
    [InlineData("similarity --x ok.csv --y ok.csv --layer ok.csv --layer ok.csv", "either --x and --y (one pair) or --layer files")]
    [InlineData("similarity --layer ok.csv", "--layer needs at least 2 files")]
    [InlineData("similarity --layer ok.csv --layer sym.csv", "sym.csv")]
    [InlineData("similarity --measure svcca", "Give --x and --y")]
    [InlineData("cka --x ok.csv --y ok.csv --gram", "ok.csv is 4 x 2")]
    // modularity
    [InlineData("modularity --w {t}/missing.csv --y y4.csv", "{t}/missing.csv")]
    [InlineData("modularity --w ok.csv --y y4.csv", "ok.csv is 4 x 2")]
    [InlineData("modularity --w asymmetric.csv --y y2.csv", "asymmetric.csv")]
    [InlineData("modularity --w negative.csv --y y2.csv", "negative.csv")]
    [InlineData("modularity --w sym.csv --y y2.csv", "y2.csv")]
    [InlineData("modularity --w nan.csv --y y4.csv", "nan.csv: line 3")]
    // benchmarks
    [InlineData("bench-cka graphs --layers 0", "--layers")]
    [InlineData("bench-cka graphs --n -1", "--n")]
    [InlineData("bench-cka minibatch --batch 1", "--batch")]
    [InlineData("bench-torch --mode x", "'x'")]
    [InlineData("bench-torch --threads 0", "--threads")]
    [InlineData("bench-torch --iterations abc", "--iterations")]
    // cluster (docs/distributed.md)
    [InlineData("worker --shared {t}/missing", "{t}/missing")]
    [InlineData("worker --shared {t} --silo-port 70000", "--silo-port")]
    [InlineData("worker --shared {t} --threads 0", "--threads")]
    [InlineData("worker --shared {t} --cluster {t}/missing.json", "{t}/missing.json")]
    [InlineData("worker --shared {t} --cluster ok.csv", "ok.csv")]
    [InlineData("demo --cluster ok.csv --out {t}/run", "needs --shared")]
    [InlineData("demo --shared {t} --out {t}/run", "give --cluster too")]
    [InlineData("demo --cluster ok.csv --shared {fx} --out {t}/run", "must lie inside the '--shared' folder")]
    [InlineData("demo --units-per-silo 0", "--units-per-silo")]
    public void Bad_Input_Is_One_Line_That_Names_It(string arguments, string expected)
    {
        using var temp = BadInputFolder();
        string Fill(string s) => s.Replace("{file}", temp.File("file")).Replace("{t}", temp.Path).Replace("{fx}", TestPaths.Fixtures);
        string[] before = Entries(temp.Path);

        var (code, stdout, stderr) = SubspaceSplit(Fill(arguments), temp.Path);

        string all = $"exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}";
        Assert.True(code == 2, all);
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal), all);
        Assert.Contains(Fill(expected), lines[0]);
        foreach (string net in new[] { "   at ", "(Parameter '", "Actual value was", "System.", "Exception", "`1", "\"error\"" })
            Assert.False(stdout.Contains(net, StringComparison.Ordinal) || stderr.Contains(net, StringComparison.Ordinal), $"'{net}' in the output: {all}");
        Assert.False(lines[0].Any(c => char.IsControl(c) || c == '\uFFFD'), $"unreadable bytes in the message: {all}");
        Assert.Equal(before, Entries(temp.Path));   // no new file or folder, anywhere in the working folder
    }

    [Theory]
    [InlineData("ssc --x ok.csv --y sparse-labels-4.csv", "accuracy")]
    [InlineData("modularity --w sym.csv --y sparse-labels.csv", "modularity")]
    public void Sparse_Label_Values_Give_A_Clean_Result(string arguments, string key)
    {
        // Labels {0, 5000, 1000000}: a partition like any other; no count table sized by the largest value (which ran out of memory).
        using var temp = BadInputFolder();

        var (code, stdout, stderr) = SubspaceSplit(arguments, temp.Path);

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        using var json = System.Text.Json.JsonDocument.Parse(stdout.Trim().Split('\n').Last());
        Assert.True(double.IsFinite(json.RootElement.GetProperty(key).GetDouble()), stdout);
    }

    [Fact]
    public void Similarity_Of_A_Representation_With_Itself_Is_The_Identity_Value()
    {
        using var temp = BadInputFolder();

        var (code, stdout, stderr) = SubspaceSplit("similarity --x ok.csv --y ok.csv --measure linear-cka", temp.Path);

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        using var json = System.Text.Json.JsonDocument.Parse(stdout.Trim());
        Assert.Equal("linear-cka", json.RootElement.GetProperty("measure").GetString());
        Assert.Equal(1.0, json.RootElement.GetProperty("value").GetDouble(), 12);
    }

    [Fact]
    public void Similarity_Of_Layers_Prints_The_Matrix_Of_Every_Pair()
    {
        using var temp = BadInputFolder();

        var (code, stdout, stderr) = SubspaceSplit("similarity --measure procrustes --layer ok.csv ok.csv", temp.Path);

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        using var json = System.Text.Json.JsonDocument.Parse(stdout.Trim());
        Assert.Equal("procrustes", json.RootElement.GetProperty("measure").GetString());
        var values = json.RootElement.GetProperty("values");
        Assert.Equal(2, values.GetArrayLength());
        Assert.Equal(0.0, values[0][1].GetDouble(), 10);
        Assert.False(json.RootElement.GetProperty("higher_is_more_similar").GetBoolean());
    }

    private static string[] Entries(string folder)
        => Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Select(e => Path.GetRelativePath(folder, e)).Order(StringComparer.Ordinal).ToArray();

    /// <summary>A working folder with the small bad (and good) inputs the bad-input cases name.</summary>
    private static TempFolder BadInputFolder()
    {
        var temp = new TempFolder();
        void Write(string name, string text)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(temp.File(name))!);
            File.WriteAllText(temp.File(name), text);
        }
        Write("file", "");
        Write("ok.csv", "1,0\n0.9,0.1\n0,1\n0.1,0.9\n");                       // 4 samples x 2 features
        Write("sym.csv", "0,1,0\n1,0,1\n0,1,0\n");                              // a symmetric 3 x 3 graph
        Write("asymmetric.csv", "0,1\n2,0\n");
        Write("negative.csv", "0,-1\n-1,0\n");
        Write("nan.csv", "1,2\n3,4\n5,nan\n6,7\n");
        Write("text.csv", "1,2\n3,x\n");
        Write("ragged.csv", "1,2\n3\n");
        Write("empty.csv", "");
        Write("y2.csv", "0\n1\n");
        Write("y4.csv", "0\n0\n1\n1\n");
        Write("fraction.csv", "0\n1.5\n0\n1\n");
        Write("sparse-labels.csv", "0\n1000000\n5000\n");
        Write("sparse-labels-4.csv", "0\n0\n1000000\n1000000\n");
        Write("corrupt-manifest/manifest.json", "{not json");
        Write("empty-manifest/manifest.json", "");
        Write("corrupt-progress/progress.json", "[1,");
        Write("corrupt-snapshots/epoch-001.json", "{\"Epoch\": ");
        Write("corrupt-snapshots/epoch-001.pt", "x");
        Write("corrupt-snapshots/epoch-001.optim.pt", "x");
        Write("corrupt-table/summary.csv", "a,b\n1,2\n");
        Write("corrupt-table/layerwise.csv", "a,b\n1,2\n");
        Write("empty-table/summary.csv", "");
        Write("empty-table/layerwise.csv", "");
        Write("text-table/summary.csv", "layers,blocks,test_accuracy,first_layer_modularity,last_layer_modularity,depth_modularity_rho,block_score,ssc_accuracy,network_accuracy,agreement\n4,1,abc,0.1,0.5,1,0.9,0.8,0.9,0.8\n");
        Write("text-table/layerwise.csv", "modularity\n0.1\n");
        Write("nonsquare-matrix/ssc_cka.csv", "layer,a,b\na,1,0.5\n");
        Write("text-matrix/ssc_cka.csv", "layer,a,b\na,1,0.5\nb,0.5,x\n");
        Directory.CreateDirectory(temp.File("empty-folder"));
        var random = new Random(11);
        foreach (string name in new[] { "random.pt", "epoch-001.optim.pt", "random.safetensors" })
        {
            var bytes = new byte[300];
            random.NextBytes(bytes);
            File.WriteAllBytes(temp.File(name), bytes);
        }
        return temp;
    }

    private static (int ExitCode, string Stdout, string Stderr) SubspaceSplit(string arguments, string workingDirectory)
    {
        Assert.True(File.Exists(Tool), $"{Tool} is missing: build the solution first (dotnet test MLNet.Subspace.sln builds it).");
        var info = new System.Diagnostics.ProcessStartInfo("dotnet", $"\"{Tool}\" {arguments}")
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'subspace {arguments}' did not finish within 2 minutes (bad input must fail before any training).");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
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
    [InlineData("blocks", "--permutations")]
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
    public void Blocks_Recomputes_The_Planted_Blocks_Of_A_Run_Folder_Byte_Identically_For_One_Seed()
    {
        // Given a run folder whose ssc_cka.csv has two planted blocks of 6 layers (stage s, then stage t). With fewer layers a
        // shuffled order often keeps a block together (3 + 4 layers: 1 order in 7), so no p-value could be small.
        using var temp = new TempFolder();
        string[] names = Enumerable.Range(0, 12).Select(i => i < 6 ? $"s.{i}" : $"t.{i - 6}").ToArray();
        var lines = new List<string> { "layer," + string.Join(',', names) };
        for (int i = 0; i < 12; i++)
            lines.Add(names[i] + "," + string.Join(',', Enumerable.Range(0, 12).Select(j => i == j ? "1" : (i < 6) == (j < 6) ? (0.8 + 0.01 * ((i + j) % 3)).ToString(System.Globalization.CultureInfo.InvariantCulture) : "0.2")));
        Directory.CreateDirectory(temp.File("run"));
        File.WriteAllLines(Path.Combine(temp.File("run"), "ssc_cka.csv"), lines);

        var (code, output) = Subspace($"blocks --run planted=\"{temp.File("run")}\" --permutations 99 --out \"{temp.File("a")}\"", temp.Path, minutes: 1);
        var (again, againOutput) = Subspace($"blocks --run planted=\"{temp.File("run")}\" --permutations 99 --out \"{temp.File("b")}\"", temp.Path, minutes: 1);

        Assert.True(code == 0 && again == 0, output + againOutput);
        var table = File.ReadAllLines(Path.Combine(temp.File("a"), "block_table.csv"));
        Assert.Equal("run,layers,blocks,gap_blocks,max_gap_blocks,max_gap_starts,starts,start_layers,name_group_starts,score,p_value,within_mean,between_mean", table[0]);
        Assert.StartsWith("planted,12,2,2,2,0 6,0 6,s.0 t.0,0 6,", table[1]);
        Assert.Equal(9, File.ReadAllLines(Path.Combine(temp.File("a"), "block_counts.csv")).Length);   // header + K = 1..8
        foreach (string file in new[] { "block_table.csv", "block_counts.csv" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(temp.File("a"), file)), File.ReadAllBytes(Path.Combine(temp.File("b"), file)));
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

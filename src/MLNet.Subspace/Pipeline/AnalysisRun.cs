using System.Globalization;
using Microsoft.ML.Runtime;
using Microsoft.Data.Analysis;
using MLNet.Subspace.Analysis;
using MLNet.Subspace.Data;
using MLNet.Subspace.ML;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Models.Training;
using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Pipeline.Units;
using MLNet.Subspace.Reporting;
using MLNet.Subspace.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Pipeline;

/// <summary>
/// The whole method from a network (trained here, or given as per-epoch weight files) and probe data to
/// a run folder with CSV tables, SVG figures and report.html. Every expensive step is recorded in the
/// run folder, so re-running the same command skips finished work and an interrupted run resumes.
/// </summary>
public static class AnalysisRun
{
    /// <summary>Trains the network with a snapshot per epoch, then analyses every snapshot.</summary>
    /// <param name="env">An MLContext (device, logging), or null.</param>
    /// <param name="train">The training split.</param>
    /// <param name="test">The test split (evaluation and probes).</param>
    /// <param name="folder">The run folder.</param>
    /// <param name="options">Settings.</param>
    /// <param name="progress">Progress reports, or null.</param>
    /// <param name="cancellationToken">Stops between steps; finished steps stay recorded.</param>
    public static AnalysisRunResult TrainAndAnalyze(IHostEnvironment? env, ImageDataset train, ImageDataset test, string folder, AnalysisRunOptions options,
        IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        options = options.ForRun(MLNetInterop.Settings(env).Seed);
        if (!train.ImageShape.SequenceEqual(test.ImageShape) || train.ClassNames.Count != test.ClassNames.Count)
            throw new ArgumentException($"The training images ({Shape(train)}, {train.ClassNames.Count} classes) and test images ({Shape(test)}, {test.ClassNames.Count} classes) differ.", nameof(test));
        ImageClassifier Create() => CreateModel(options.Model, test);
        // Everything that can be refused is checked before the run folder is written or a batch is trained:
        // the probes, the model name (the network is built here), the layer names, the folder.
        var probes = Probes(test, options);
        var model = Seeding.Initialize(options.RunSeed, Create); // the initial weights follow the seed
        RunFolder opened;
        try
        {
            LayerSelector.Select(model, options.Layers);
            opened = RunFolder.Open(folder, Manifest("train+analyze", options, new Dictionary<string, string> { ["train"] = Describe(train), ["test"] = Describe(test) }));
        }
        catch
        {
            model.Dispose();
            throw;
        }
        using var run = opened;
        var trainerOptions = new TrainerOptions
        {
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            LearningRate = options.LearningRate,
            Augment = options.Augment,
            TrainingFraction = options.TrainingFraction,
            Seed = options.RunSeed,
            SnapshotFolder = run.PathOf("snapshots"),
            Device = MLNetInterop.Device(env, options.Device),
        };
        IReadOnlyList<EpochMetrics> metrics;
        using (model)
        {
            var adapter = progress is null ? null : new Progress<TrainingProgress>(p =>
                progress.Report(new RunProgress("train", (p.Epoch - 1) * p.Batches + p.Batch, p.Epochs * p.Batches, $"epoch {p.Epoch}/{p.Epochs}, loss {p.RunningLoss:0.000}")));
            using var channel = env?.Register(nameof(Trainer)).Start("Train");
            metrics = new Trainer(trainerOptions, channel is null ? null : channel.Info).Train(model, train, test, adapter, cancellationToken).Epochs;
        }
        run.MarkDone("train");
        var snapshots = Enumerable.Range(1, options.Epochs).Select(e => (e, Path.Combine(trainerOptions.SnapshotFolder, $"epoch-{e:D3}.pt"))).ToList();
        return Analyze(env, run, FromWeights(Create, snapshots, probes, options), test, probes, options, metrics, progress, cancellationToken);
    }

    /// <summary>Analyses given weight files of one architecture, in epoch order (the last is the final model).</summary>
    /// <param name="env">An MLContext, or null.</param>
    /// <param name="model">Network spec for <see cref="ModelZoo.Create"/>.</param>
    /// <param name="snapshots">(epoch, weights file) pairs, TorchSharp or PyTorch formats.</param>
    /// <param name="test">Labelled images to draw probes from.</param>
    /// <param name="folder">The run folder.</param>
    /// <param name="options">Settings (the training ones are ignored).</param>
    /// <param name="progress">Progress reports, or null.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <remarks>Weights written by <c>subspace train</c> (a <see cref="Trainer"/> with a snapshot folder) carry their training
    /// metrics (<see cref="Trainer.History"/>): the final one's are the report's training table and summary.csv's test accuracy.</remarks>
    public static AnalysisRunResult AnalyzeSnapshots(IHostEnvironment? env, string model, IReadOnlyList<(int Epoch, string Weights)> snapshots, ImageDataset test, string folder,
        AnalysisRunOptions options, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        options = options.ForRun(MLNetInterop.Settings(env).Seed);
        if (snapshots.Count == 0) throw new ArgumentException("Give at least one weights file.", nameof(snapshots));
        foreach (var (_, weights) in snapshots)
            if (!File.Exists(weights)) throw new FileNotFoundException($"Weights file not found: {weights}", weights);
        options.Model = model;
        // Refused before the run folder is written: the probes, the model name, the layer names, and every weights file
        // (each is read once here, so a corrupt file or one of another architecture is named now, not after the first epoch's graphs).
        var probes = Probes(test, options);
        using (var check = CreateModel(model, test))
        {
            LayerSelector.Select(check, options.Layers);
            foreach (var (_, weights) in snapshots) ModelWeights.Load(check, weights);
        }
        using var run = RunFolder.Open(folder, Manifest("analyze", options, new Dictionary<string, string>
        {
            ["test"] = Describe(test),
            ["weights"] = string.Join(";", snapshots.Select(s => $"{s.Epoch}={Path.GetFullPath(s.Weights)} (sha256 {FileHash(s.Weights)})")),
        }));
        return Analyze(env, run, FromWeights(() => CreateModel(model, test), snapshots, probes, options), test, probes, options, Trainer.History(snapshots[^1].Weights), progress, cancellationToken);
    }

    /// <summary>
    /// Analyses an ONNX network (one snapshot) on probes from <paramref name="test"/>: its layers are read through
    /// <see cref="OnnxActivationSource"/>, the probes resized and expanded to the model's input when their shape differs.
    /// </summary>
    /// <param name="env">An MLContext, or null.</param>
    /// <param name="onnxModel">The .onnx file.</param>
    /// <param name="onnx">Layer selection, input shaping and score output; its DataShape defaults to the images' shape, and
    /// its LayerNames to <see cref="AnalysisRunOptions.Layers"/> (ONNX node names).</param>
    /// <param name="test">Labelled images to draw probes from.</param>
    /// <param name="folder">The run folder.</param>
    /// <param name="options">Settings (the training ones and <see cref="AnalysisRunOptions.Model"/> are ignored).</param>
    /// <param name="progress">Progress reports, or null.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    public static AnalysisRunResult AnalyzeOnnx(IHostEnvironment? env, string onnxModel, OnnxActivationOptions? onnx, ImageDataset test, string folder,
        AnalysisRunOptions options, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onnxModel);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        options = options.ForRun(MLNetInterop.Settings(env).Seed);
        onnx ??= new OnnxActivationOptions();
        if (options.Layers is not null && onnx.LayerNames is not null)
            throw new ArgumentException("Give the ONNX layers either in AnalysisRunOptions.Layers or in OnnxActivationOptions.LayerNames, not both.", nameof(onnx));
        onnx = onnx with { LayerNames = onnx.LayerNames ?? options.Layers, DataShape = onnx.DataShape ?? test.ImageShape };
        options.Model = Path.GetFileName(onnxModel);
        // Refused before the run folder is written: the probes, the model file, the layer names and the input shapes.
        var probes = Probes(test, options);
        using var source = OnnxActivationSource.Open(onnxModel, onnx);
        using var run = RunFolder.Open(folder, Manifest("analyze-onnx", options, new Dictionary<string, string>
        {
            ["test"] = Describe(test),
            ["onnx"] = $"{Path.GetFullPath(onnxModel)} (sha256 {FileHash(onnxModel)})",
            ["onnx_options"] = System.Text.Json.JsonSerializer.Serialize(onnx),
        }));
        var snapshots = new List<(int, Func<Device, Func<int, string>, ActivationFiles>)> { (1, (_, fileOf) => Stream(source, probes, fileOf, options)) };
        return Analyze(env, run, snapshots, test, probes, options, null, progress, cancellationToken);
    }

    /// <summary>One activation extraction per weights file: build the network, load the weights, stream the layers to files.</summary>
    private static List<(int Epoch, Func<Device, Func<int, string>, ActivationFiles> Extract)> FromWeights(Func<ImageClassifier> create,
        IReadOnlyList<(int Epoch, string Weights)> snapshots, ImageDataset probes, AnalysisRunOptions options)
        => snapshots.Select(s => (s.Epoch, (Func<Device, Func<int, string>, ActivationFiles>)((device, fileOf) =>
        {
            using var model = create();
            ModelWeights.Load(model, s.Weights);
            model.to(device).eval();
            var layers = LayerSelector.Select(model, options.Layers);
            return Stream(new TorchActivationSource(model, layers, probes.ImageShape, ActivationPooling.Flatten, device, "the probe images"), probes, fileOf, options);
        }))).ToList();

    private static ActivationFiles Stream(IActivationSource source, ImageDataset probes, Func<int, string> fileOf, AnalysisRunOptions options)
        => LayerActivations.Stream(source, probes, Enumerable.Range(0, source.LayerNames.Count).Select(fileOf).ToList(), options.BatchSize);

    /// <summary>What one epoch's step keeps: the network's outputs on the probes, the layer graphs, the L x L linear CKA and each
    /// layer's linear CKA to the final epoch.</summary>
    /// <remarks>Phases: wall-clock seconds of the epoch's steps (they go to timings.csv only).</remarks>
    private sealed record EpochResult(LayerActivations Outputs, IReadOnlyList<LayerGraph> Graphs, double[,] LinearCka, double[] LinearCkaToFinal,
        IReadOnlyList<(string Step, double Seconds)> Phases);

    private static AnalysisRunResult Analyze(IHostEnvironment? env, RunFolder run, IReadOnlyList<(int Epoch, Func<Device, Func<int, string>, ActivationFiles> Extract)> snapshots,
        ImageDataset test, ImageDataset probes, AnalysisRunOptions options, IReadOnlyList<EpochMetrics>? training, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        var device = TorchDevice.Resolve(MLNetInterop.Device(env, options.Device));
        var ssc = options.Ssc with { Device = options.Ssc.Device ?? device };
        if (options.ColumnBlocks > 1 && ssc.Device!.type != DeviceType.CPU)
            throw new ArgumentException($"The 'ColumnBlocks' option of the analysis run ({options.ColumnBlocks}) solves blocks of codes on the CPU, which gives the unsplit layer's bytes only when the run is on the CPU; this run's device is {ssc.Device}. Use ColumnBlocks = 1 on a GPU.", nameof(options));
        // The final epoch goes first: every other epoch's linear CKA to it reads its centred Gram files, which are kept
        // until the run ends; the other epochs' files go as soon as their step is done, so at most two epochs' are on disk.
        int last = snapshots.Count - 1;
        var order = new[] { last }.Concat(Enumerable.Range(0, last)).ToList();
        var results = new EpochResult[snapshots.Count];
        string StepOf(int s) => $"graphs-epoch-{snapshots[s].Epoch:D3}";
        (ActivationFiles Files, double Seconds) Extract(int s)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var files = snapshots[s].Extract(device, l => ActivationPath(run, snapshots[s].Epoch, l));
            return (files, clock.Elapsed.TotalSeconds);
        }
        // On a cluster the client only waits while the silos compute an epoch's units: it streams the next epoch's activations
        // meanwhile (two epochs' activation files on disk at once). A local run would only share its own cores, so it does not.
        bool overlap = options.UnitRunner is not null;
        Task<(ActivationFiles Files, double Seconds)>? next = null;
        try
        {
            for (int i = 0; i < order.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int s = order[i], epoch = snapshots[s].Epoch;
                var prefetched = next;
                next = null;
                results[s] = run.Step(StepOf(s),
                    () =>
                    {
                        progress?.Report(new RunProgress("activations", s, snapshots.Count, $"epoch {epoch}"));
                        var (files, seconds) = prefetched is null ? Extract(s) : prefetched.GetAwaiter().GetResult();
                        prefetched = null;
                        if (overlap && i + 1 < order.Count && !run.IsDone(StepOf(order[i + 1])))
                        {
                            int following = order[i + 1];
                            next = Task.Run(() => Extract(following), cancellationToken);
                        }
                        var extraction = ($"epoch {epoch}: activations streamed to files (forward pass)", seconds);
                        var result = AnalyzeEpoch(run, files, epoch, s == last ? null : snapshots[last].Epoch, ssc, options.UnitRunner, options.ColumnBlocks, s, snapshots.Count, progress, cancellationToken);
                        result = result with { Phases = result.Phases.Prepend(extraction).ToList() };
                        foreach (var path in files.Paths) File.Delete(path);
                        return result;
                    },
                    saved => SaveEpoch(run, epoch, saved, s == last),
                    () => LoadEpoch(run, epoch, probes));
            }
        }
        finally
        {
            // An extraction started for a step that did not run (the run failed or was cancelled) is waited for and its files go;
            // its own failure, if any, is not reported over the run's.
            next?.ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully) foreach (var path in t.Result.Files.Paths) File.Delete(path);
            }, TaskScheduler.Default).Wait();
        }
        var epochs = results.Select((r, s) => new EpochGraphs(snapshots[s].Epoch, r.Outputs, r.Graphs)).ToList();

        progress?.Report(new RunProgress("analysis", 0, 1, "layer-wise, architecture, dynamics, latent space, neighbourhoods"));
        var final = epochs[^1];
        int layerCount = final.Graphs.Count;
        var layerNames = final.Graphs.Select(g => g.Layer).ToArray();
        // A network whose output does not score the probes' classes (an ImageNet featurizer read on Fashion-MNIST) has no
        // correct or wrong predictions: the latent-space plots of correctly classified inputs and the misclassified cases are left out.
        bool classifies = final.Activations.Classes == probes.ClassNames.Count;
        var architecture = ArchitectureAnalysis.Run(final.Graphs, options.Blocks);
        var findings = new AnalysisFindings(
            Title: $"Subspace analysis of {options.Model}",
            Description: $"{options.Model}: {layerCount} layer(s), {probes.Count} class-balanced probe inputs from the test split ({options.ProbesPerClass} per class), "
                + $"{snapshots.Count} snapshot(s), SSC: {options.Ssc.Describe()}, seed {options.RunSeed}."
                + (classifies ? "" : $" The network's output has {final.Activations.Classes} values, not the probes' {probes.ClassNames.Count} classes: its predictions are not read."),
            Probes: probes,
            Training: training,
            Layerwise: LayerwiseAnalysis.Run(final.Activations, final.Graphs, options.RunSeed),
            Architecture: architecture,
            Dynamics: epochs.Count > 1 ? TrainingDynamics.Run(epochs, results.Select(r => (IReadOnlyList<double>)r.LinearCkaToFinal).ToList(), options.SettlingThreshold) : null,
            Embeddings: classifies ? LatentSpace.Run(final.Activations, final.Graphs, new[] { 0, layerCount / 2, layerCount - 1 }.Distinct().ToArray(), options.RunSeed) : [],
            Neighbourhoods: Neighbourhoods.Run(final.Activations, final.Graphs[^1], classifies ? options.MisclassifiedCases : 0),
            Similarities: Similarities(device, snapshots[last], run, options))
        {
            NetworkClassifiesProbes = classifies,
            LinearCka = new SimilarityMatrix("linear CKA", layerNames, results[last].LinearCka, HigherIsMoreSimilar: true),
            Timings = results.SelectMany(r => r.Phases).ToList(),
            Workers = UnitWorkers(run),
            ArchitectureByEpoch = epochs.Count > 1
                ? epochs.Select(e => new EpochArchitecture(e.Epoch, e == final ? architecture : ArchitectureAnalysis.Run(e.Graphs, options.Blocks))).ToList()
                : [],
        };
        progress?.Report(new RunProgress("report", 0, 1, "report.html"));
        string report = AnalysisReport.Write(findings, run.Path);
        run.MarkDone("report");
        // The final epoch's centred Grams served every epoch's CKA to it; the step results hold all that the report needs.
        DeleteFolder(run.PathOf(Path.Combine("grams", $"epoch-{snapshots[last].Epoch:D3}")));
        foreach (var folder in new[] { "grams", "activations" }.Select(f => Path.Combine(run.Path, f)))
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Any(File.Exists)) DeleteFolder(folder);
        progress?.Report(new RunProgress("report", 1, 1, report));
        return new AnalysisRunResult(run.Path, report, findings);
    }

    /// <summary>The extra measures' matrices over the final epoch's activations, read back into memory (only when asked for).</summary>
    private static List<SimilarityMatrix> Similarities(Device device, (int Epoch, Func<Device, Func<int, string>, ActivationFiles> Extract) final, RunFolder run, AnalysisRunOptions options)
    {
        if (options.Similarities.Count == 0) return [];
        var files = final.Extract(device, l => ActivationPath(run, final.Epoch, l));
        try
        {
            var activations = files.Load();
            return options.Similarities.Select(s => LayerSimilarity.Compute(activations, s)).ToList();
        }
        finally
        {
            foreach (var path in files.Paths) File.Delete(path);
        }
    }

    /// <summary>One epoch: every layer's pass (graph + centred Gram), then the epoch's linear CKA and its CKA to the final epoch.</summary>
    private static EpochResult AnalyzeEpoch(RunFolder run, ActivationFiles files, int epoch, int? finalEpoch, SscOptions ssc, IUnitRunner? runner, int columnBlocks,
        int snapshot, int snapshots, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        int layers = files.LayerNames.Count;
        // Each layer's pass is a work unit (or, split, its parts and a unit that puts them together), executed in this process
        // or on a cluster's silos (options.UnitRunner).
        runner ??= new LocalUnitRunner(run.Path, ssc.Device);
        string results = SharedPath(runner, run.PathOf(Path.Combine("units", $"epoch-{epoch:D3}")));
        Directory.CreateDirectory(Path.Combine(runner.SharedFolder, results));
        var layerUnits = Enumerable.Range(0, layers)
            .Select(l => new LayerGraphUnit(SharedPath(runner, files.Paths[l]), files.Hashes[l], files.LayerNames[l], ssc with { Device = null }, results)).ToList();
        var units = LayerGraphUnit.Plan(layerUnits, runner.SharedFolder, columnBlocks);
        var described = units.ToDictionary(u => u.Id, u => u.Description);
        int done = 0;
        var reported = progress is null ? null : new UnitProgress(r =>
            progress.Report(new RunProgress("graphs", snapshot * units.Count + ++done, snapshots * units.Count, $"epoch {epoch}, {described[r.UnitId]} ({r.Worker})")));
        var receipts = runner.RunAsync(units, reported, cancellationToken).GetAwaiter().GetResult();
        var graphs = new List<LayerGraph>(layers);
        var phases = new List<(string, double)>();
        Directory.CreateDirectory(Path.GetDirectoryName(GramPath(run, epoch, 0))!);
        for (int l = 0; l < layers; l++)
        {
            var unit = (LayerGraphUnit)units[units.Count - layers + l];
            graphs.Add(unit.LoadResult(runner.SharedFolder));
            File.Move(Path.Combine(runner.SharedFolder, unit.CentredGramPath), GramPath(run, epoch, l), overwrite: true);
            var r = receipts[units.Count - layers + l];
            WriteGramHash(GramPath(run, epoch, l), r.CentredGramHash);
            string at = $"epoch {epoch}, {files.LayerNames[l]}";
            phases.AddRange([($"{at}: read", r.ReadSeconds), ($"{at}: Gram X X^T", r.GramSeconds), ($"{at}: SSC graph", r.Seconds), ($"{at}: centred Gram written", r.CentredGramSeconds)]);
        }
        // The epoch's linear CKA (and to the final epoch) as units too: row blocks of the centred-Gram files, one unit unless split.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var grams = Enumerable.Range(0, layers).Select(l => GramPath(run, epoch, l)).ToList();
        if (finalEpoch is int f) grams.AddRange(Enumerable.Range(0, layers).Select(l => GramPath(run, f, l)));
        var cka = CkaRowsUnit.Plan(grams.Select(g => SharedPath(runner, g)).ToList(), grams.Select(ReadGramHash).ToList(), files.Outputs.Count, columnBlocks, results);
        var ckaReceipts = runner.RunAsync(cka, null, cancellationToken).GetAwaiter().GetResult();
        var (linear, toFinal) = StreamedEpoch.Cka(CkaRowsUnit.Products(runner.SharedFolder, cka), files.LayerNames, finalEpoch is not null);
        // Who computed what: the receipts stay beside the graphs; this table indexes them.
        var all = units.Concat<WorkUnit>(cka).ToList();
        var allReceipts = receipts.Concat(ckaReceipts).ToList();
        IO.AtomicFile.WriteAllText(Path.Combine(runner.SharedFolder, results, "units.csv"), w =>
        {
            w.WriteLine("unit,description,worker,seconds");
            for (int u = 0; u < all.Count; u++)
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{all[u].Id},{Quoted(all[u].Description)},{allReceipts[u].Worker},{allReceipts[u].WallSeconds:0.###}"));
        });
        if (finalEpoch is not null) DeleteFolder(Path.GetDirectoryName(grams[0])!);
        phases.Add(($"epoch {epoch}: linear CKA (L x L and to the final epoch)", clock.Elapsed.TotalSeconds));
        return new EpochResult(files.Outputs, graphs, linear, toFinal, phases);
    }

    /// <summary>Records a centred-Gram file's content hash beside it (the CKA units are named by it; the final epoch's files are
    /// read by every other epoch, also after a resume).</summary>
    private static void WriteGramHash(string gram, string? hash)
        => IO.AtomicFile.WriteAllText(gram + ".sha256", w => w.Write(hash ?? ActivationMatrixFile.ContentHash(gram)));

    /// <summary>A centred-Gram file's content hash, from beside it; computed (and recorded) where it is missing.</summary>
    private static string ReadGramHash(string gram)
    {
        if (!File.Exists(gram + ".sha256")) WriteGramHash(gram, null);
        return File.ReadAllText(gram + ".sha256").Trim();
    }

    /// <summary>Units and seconds per worker over every epoch's units.csv (the last two fields of each line; the description before
    /// them is quoted and may hold commas).</summary>
    private static List<(string Worker, int Units, double Seconds)> UnitWorkers(RunFolder run)
    {
        string units = run.PathOf("units");
        if (!Directory.Exists(units)) return [];
        return Directory.GetFiles(units, "units.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .SelectMany(f => File.ReadLines(f).Skip(1))
            .Select(line => line.Split(','))
            .Select(fields => (Worker: fields[^2], Seconds: double.Parse(fields[^1], CultureInfo.InvariantCulture)))
            .GroupBy(u => u.Worker, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count(), g.Sum(u => u.Seconds))).ToList();
    }

    /// <summary>A CSV field in quotes (a description holds commas).</summary>
    private static string Quoted(string field) => "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A run-folder path relative to the runner's shared folder ('/'-separated), refused when outside it.</summary>
    private static string SharedPath(IUnitRunner runner, string path)
    {
        string relative = Path.GetRelativePath(runner.SharedFolder, path);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            throw new ArgumentException($"The run folder must lie inside the unit runner's shared folder {runner.SharedFolder} (the folder every worker sees); {path} does not.");
        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private static void SaveEpoch(RunFolder run, int epoch, EpochResult result, bool isFinal)
    {
        for (int l = 0; l < result.Graphs.Count; l++) LayerGraphStore.Save(GraphPath(run, epoch, l), result.Graphs[l]);
        var names = result.Graphs.Select(g => g.Layer).ToArray();
        string folder = run.PathOf(Path.Combine("graphs", $"epoch-{epoch:D3}"));
        ActivationMatrixFile.Write(Path.Combine(folder, "scores.f32"), result.Outputs.Scores, result.Outputs.Classes);
        DataFrameIO.SaveCsv(SquareMatrixTable.Create(names, result.LinearCka), Path.Combine(folder, "linear_cka.csv"));
        DataFrameIO.SaveCsv(new DataFrame(new StringDataFrameColumn("layer", names), new DoubleDataFrameColumn("linear_cka_to_final", result.LinearCkaToFinal)),
            Path.Combine(folder, "linear_cka_to_final.csv"));
        DataFrameIO.SaveCsv(SquareMatrixTable.Create(names, GraphCka.Matrix(result.Graphs.Select(g => g.Graph.Weights).ToList(), names: names).Values),
            Path.Combine(folder, "ssc_cka.csv"));
        DataFrameIO.SaveCsv(new DataFrame(new StringDataFrameColumn("step", result.Phases.Select(p => p.Step)), new DoubleDataFrameColumn("seconds", result.Phases.Select(p => p.Seconds))),
            Path.Combine(folder, "timings.csv"));
    }

    private static EpochResult LoadEpoch(RunFolder run, int epoch, ImageDataset probes)
    {
        string folder = run.PathOf(Path.Combine("graphs", $"epoch-{epoch:D3}"));
        var (scores, _, classes) = ActivationMatrixFile.Read(Path.Combine(folder, "scores.f32"));
        var linear = DataFrameIO.LoadCsv(Path.Combine(folder, "linear_cka.csv"));
        int layers = (int)linear.Rows.Count;
        var graphs = Enumerable.Range(0, layers).Select(l => LayerGraphStore.Load(GraphPath(run, epoch, l))).ToList();
        var matrix = new double[layers, layers];
        for (int a = 0; a < layers; a++)
            for (int b = 0; b < layers; b++) matrix[a, b] = (double)linear.Columns[b + 1][a]!;
        var toFinal = DataFrameIO.LoadCsv(Path.Combine(folder, "linear_cka_to_final.csv")).Columns["linear_cka_to_final"].Cast<double>().ToArray();
        var timings = DataFrameIO.LoadCsv(Path.Combine(folder, "timings.csv"));
        var phases = Enumerable.Range(0, (int)timings.Rows.Count).Select(r => ((string)timings.Columns["step"][r]!, (double)timings.Columns["seconds"][r]!)).ToList();
        return new EpochResult(LayerActivations.FromScores(scores, classes, probes), graphs, matrix, toFinal, phases);
    }

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    private static ImageDataset Probes(ImageDataset test, AnalysisRunOptions options)
    {
        try
        {
            var probes = test.Select(ProbeSampling.ClassBalanced(test.Labels, test.ClassNames.Count, options.ProbesPerClass, new Random(options.RunSeed)));
            if (options.ColumnBlocks > probes.Count)
                throw new ArgumentException($"The '{nameof(AnalysisRunOptions.ColumnBlocks)}' option of the analysis run ({options.ColumnBlocks}) splits each layer's {probes.Count} probe inputs into blocks of codes: it must be at most N = {probes.Count}.", nameof(options));
            return probes;
        }
        catch (ArgumentException e) when (e.ParamName == "perClass")
        {
            throw new ArgumentException($"The '{nameof(AnalysisRunOptions.ProbesPerClass)}' option of the analysis run asks for {options.ProbesPerClass} probes per class, more than the test split has: {e.Message.Split(" (Parameter")[0]}", nameof(options), e);
        }
    }

    private static ImageClassifier CreateModel(string spec, ImageDataset data)
    {
        if (data.Height != data.Width)
            throw new ArgumentException($"The model zoo builds networks for square images; the data has {Shape(data)}.", nameof(data));
        return ModelZoo.Create(spec, data.Channels, data.Height, data.ClassNames.Count);
    }

    private static string GraphPath(RunFolder run, int epoch, int layer) => run.PathOf(Path.Combine("graphs", $"epoch-{epoch:D3}", $"layer-{layer:D2}.bin"));

    private static string ActivationPath(RunFolder run, int epoch, int layer) => run.PathOf(Path.Combine("activations", $"epoch-{epoch:D3}", $"layer-{layer:D2}.f32"));

    private static string GramPath(RunFolder run, int epoch, int layer) => run.PathOf(Path.Combine("grams", $"epoch-{epoch:D3}", $"layer-{layer:D2}.f32"));

    private static RunManifest Manifest(string command, AnalysisRunOptions options, Dictionary<string, string> inputs)
        => new() { Command = command, Seed = options.RunSeed, Inputs = inputs, Options = options.Describe() };

    /// <summary>What the manifest records of a data set: its size and a content hash (pixels, labels, class names), so a rerun on other data is refused.</summary>
    private static string Describe(ImageDataset data) => $"{data.Count} images of {Shape(data)}, {data.ClassNames.Count} classes, sha256 {data.ContentHash()}";

    private static string FileHash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    private static string Shape(ImageDataset data) => string.Join("x", data.ImageShape);
}

using System.CommandLine;
using Microsoft.ML;
using MLNet.Subspace.Analysis;
using MLNet.Subspace.Data;
using MLNet.Subspace.ML;
using MLNet.Subspace.Reporting;

namespace MLNet.Subspace.Cli.Commands;

/// <summary>
/// <c>subspace compare-models</c>: fitted ML.NET models (.zip files from mlContext.Model.Save, such as an AutoML experiment's
/// trials) over one labelled evaluation set; prints one JSON object and, with --out, writes the tables and report.html.
/// </summary>
internal static class CompareModelsCommand
{
    public static Command Create()
    {
        var models = new Argument<string[]>("models") { Description = "Two or more model .zip files saved with mlContext.Model.Save.", Arity = ArgumentArity.OneOrMore };
        var data = DataOption.Create();
        data.Description = DataOption.Help + " The models must read a 'Features' vector of the images' pixels (C x H x W floats in [0, 1]) and a 'Label' key, as ImageDataset.ToDataView gives them.";
        var train = new Option<bool>("--train-split") { Description = "Evaluate on the training split instead of the test split." };
        var perClass = new Option<int>("--probes-per-class") { Description = "Evaluation inputs per class, drawn class-balanced from the split (N = this x classes).", DefaultValueFactory = _ => 50 }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "Seed of the input draw and of Louvain and spectral clustering.", DefaultValueFactory = _ => TrialComparisonOptions.Defaults.Seed };
        var features = new Option<string[]>("--feature") { Description = "A layer compared by CKA beside the scores: a column name (each model's deepest layer of it, e.g. Features) or stage:column (repeatable).", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string?>("--out") { Description = "Folder for trials.csv, cka.csv, ssc_cka.csv, prediction_overlap.csv, disagreements.csv, figures/ and report.html." };
        var ssc = new SscOptionsBinder();
        var command = new Command("compare-models", "Compare fitted ML.NET models over one labelled data set: CKA of their scores, SSC graphs in score space, SSC vs model agreement, and the inputs they disagree on.")
            { models, data, train, perClass, seed, features, output };
        ssc.AddTo(command);
        command.SetAction(r => Run(r.GetValue(models)!, r.GetValue(data)!, r.GetValue(train), r.GetValue(perClass), r.GetValue(seed), r.GetValue(features) ?? [], r.GetValue(output), ssc.Read(r)));
        return command;
    }

    private static int Run(string[] paths, string dataSpec, bool train, int perClass, int seed, string[] features, string? output, Numerics.Ssc.SscOptions ssc)
    {
        if (paths.Length < 2) throw new ArgumentException($"compare-models needs at least two model files. Got {paths.Length}.");
        var images = DataOption.Load(dataSpec, train);
        var probes = images.Select(ProbeSampling.ClassBalanced(images.Labels, images.ClassNames.Count, perClass, new Random(seed)));
        var mlContext = new MLContext(seed);
        var options = new TrialComparisonOptions { Ssc = ssc, FeatureLayers = features, Seed = seed };
        // Loads every file and checks its input schema against the data before any solve or file is written.
        var result = ModelComparison.Compare(mlContext, paths, probes.ToDataView(), options);
        string? report = output is null ? null : TrialComparisonReport.Write(result, output);
        Json.Print(new Dictionary<string, object?>
        {
            ["inputs"] = probes.Count,
            ["trials"] = result.Rows.Select(t => new Dictionary<string, object?>
            {
                ["name"] = t.Trial, ["accuracy"] = t.Accuracy, ["ssc_accuracy"] = t.SscAccuracy, ["agreement"] = t.Agreement,
                ["modularity"] = Finite(t.Modularity), ["communities"] = t.Communities,
            }).ToList(),
            ["cka"] = new Dictionary<string, object?> { ["names"] = result.Cka.RowNames, ["values"] = Rows(result.Cka.Values) },
            ["ssc_cka"] = Rows(result.SscCka.Values),
            ["prediction_overlap"] = Rows(result.PredictionOverlap),
            ["disagreements"] = result.Disagreements.Count,
            ["report"] = report,
        });
        return 0;
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static List<double?[]> Rows(double[,] values)
        => Enumerable.Range(0, values.GetLength(0)).Select(i => Enumerable.Range(0, values.GetLength(1)).Select(j => Finite(values[i, j])).ToArray()).ToList();
}

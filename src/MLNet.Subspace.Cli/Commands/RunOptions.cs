using System.CommandLine;
using MLNet.Subspace.Analysis;
using MLNet.Subspace.Models.Training;
using MLNet.Subspace.Numerics.Similarity;
using MLNet.Subspace.Pipeline;

namespace MLNet.Subspace.Cli.Commands;

/// <summary>The options shared by demo, train and analyze, mapped onto <see cref="AnalysisRunOptions"/>.</summary>
internal sealed class RunOptions
{
    private readonly Option<string> _model = new("--model") { Description = "Network: smallcnn-L-W, vggN, resnetN, wrn-D-K (e.g. smallcnn-4-16, resnet18, wrn-16-4).", DefaultValueFactory = _ => AnalysisRunOptions.Defaults.Model };
    private readonly Option<int> _epochs = new("--epochs") { Description = "Training epochs; one snapshot each.", DefaultValueFactory = _ => AnalysisRunOptions.Defaults.Epochs };
    private readonly Option<double> _fraction = new("--fraction") { Description = "Share of the training split used, class-balanced, in (0, 1].", DefaultValueFactory = _ => AnalysisRunOptions.Defaults.TrainingFraction };
    private readonly Option<double> _learningRate = new("--lr") { Description = $"Initial learning rate (SGD, momentum {TrainerOptions.Defaults.Momentum}, {TrainerOptions.Defaults.Schedule.ToString().ToLowerInvariant()} schedule).", DefaultValueFactory = _ => AnalysisRunOptions.Defaults.LearningRate };
    private readonly Option<bool> _augment = new("--augment") { Description = "Random crop and horizontal flip while training." };
    private readonly Option<int> _probes = new("--probes-per-class") { Description = "Probe inputs per class from the test split (N = this x classes).", DefaultValueFactory = _ => AnalysisRunOptions.Defaults.ProbesPerClass };
    private readonly SscOptionsBinder _ssc = new();
    private readonly Option<double> _threshold = new("--settle-threshold") { Description = "A layer has settled from the first epoch whose similarity to the final epoch stays at or above this.", DefaultValueFactory = _ => Settling.DefaultThreshold };
    private readonly Option<string[]> _layers = new("--layer") { Description = "Analyse only these layers (repeatable); default every Conv2d, shortcut convs included.", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string[]> _similarity = new("--similarity") { Description = $"Also show these layer-similarity measures' heatmaps beside SSC-CKA (comma-separated or repeated; each with its defaults, as subspace similarity --measure): {SimilarityOptions.MeasureNames}.", AllowMultipleArgumentsPerToken = true };
    private readonly Option<bool> _full = new("--full") { Description = $"The full-scale protocol (docs/benchmarks.md): {AnalysisRunOptions.Defaults.FullScaleProbesPerClass} probes per class (all 10,000 Fashion-MNIST test images) and {AnalysisRunOptions.Defaults.FullScaleEpochs} epochs, unless --probes-per-class or --epochs say otherwise." };
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of every random choice.", DefaultValueFactory = _ => AnalysisRunOptions.Defaults.Seed };

    public static RunOptions Create() => new();

    private bool _training;

    /// <summary>Adds the options to <paramref name="command"/>; without <paramref name="training"/> (analyze) the training options are left out and keep their defaults.</summary>
    public void AddTo(Command command, bool training = true)
    {
        _training = training;
        command.Options.Add(_model);
        if (training)
        {
            command.Options.Add(_epochs);
            command.Options.Add(_fraction);
            command.Options.Add(_learningRate);
            command.Options.Add(_augment);
        }
        command.Options.Add(_probes);
        _ssc.AddTo(command);
        foreach (var option in new Option[] { _threshold, _layers, _similarity, _full, _seed }) command.Options.Add(option);
    }

    public AnalysisRunOptions Read(ParseResult result)
    {
        var options = Common(result);
        if (_training)
        {
            options.Epochs = FullOr(result, _epochs, AnalysisRunOptions.FullScale().Epochs);
            options.TrainingFraction = result.GetValue(_fraction);
            options.LearningRate = result.GetValue(_learningRate);
            options.Augment = result.GetValue(_augment);
        }
        return options;
    }

    /// <summary>The option's value; under --full, the full-scale value unless the option was given.</summary>
    private int FullOr(ParseResult result, Option<int> option, int fullScale)
        => result.GetValue(_full) && result.GetResult(option) is not { Implicit: false } ? fullScale : result.GetValue(option);

    private AnalysisRunOptions Common(ParseResult result) => new()
    {
        Model = result.GetValue(_model)!,
        ProbesPerClass = FullOr(result, _probes, AnalysisRunOptions.FullScale().ProbesPerClass),
        Ssc = _ssc.Read(result),
        SettlingThreshold = result.GetValue(_threshold),
        Layers = result.GetValue(_layers) is { Length: > 0 } layers ? layers : null,
        Seed = result.GetValue(_seed),
        Similarities = (result.GetValue(_similarity) ?? [])
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(name => new SimilarityOptions { Measure = SimilarityOptions.ParseMeasure(name, "--similarity") })
            .ToList(),
    };
}

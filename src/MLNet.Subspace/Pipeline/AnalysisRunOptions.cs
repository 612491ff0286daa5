using System.Globalization;
using MLNet.Subspace.Analysis;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Training;
using MLNet.Subspace.Numerics.Graphs;
using MLNet.Subspace.Numerics.Similarity;
using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Torch;

namespace MLNet.Subspace.Pipeline;

/// <summary>Settings of a whole analysis run (training, probes, SSC, report).</summary>
public sealed class AnalysisRunOptions
{
    /// <summary>Default values, defined once.</summary>
    public static class Defaults
    {
        /// <summary>Default network: ResNet-18 at width 16 (20 conv layers with the shortcut convs), deep enough for the
        /// L x L SSC-CKA heatmap to show the block structure the paper is about; the demo takes about 2 minutes (docs/benchmarks.md).</summary>
        public const string Model = "resnet18-16";
        /// <summary>Default training epochs.</summary>
        public const int Epochs = 4;
        /// <summary>Default share of the training split used (class-balanced).</summary>
        public const double TrainingFraction = 0.25;
        /// <summary>Default mini-batch size.</summary>
        public const int BatchSize = 128;
        /// <summary>Default initial learning rate (cosine schedule).</summary>
        public const double LearningRate = 0.05;
        /// <summary>Default probe inputs per class, from the test split.</summary>
        public const int ProbesPerClass = 50;
        /// <summary>Default seed.</summary>
        public const int Seed = TrainerOptions.Defaults.Seed;
        /// <summary>Default number of misclassified inputs explained.</summary>
        public const int MisclassifiedCases = 6;
        /// <summary>The full-scale protocol's probes per class (<see cref="FullScale"/>): all 10,000 Fashion-MNIST test images.</summary>
        public const int FullScaleProbesPerClass = 1_000;
        /// <summary>Each layer's pass is one work unit; more splits it (<see cref="ColumnBlocks"/>).</summary>
        public const int ColumnBlocks = 1;
        /// <summary>The full-scale protocol's epochs (<see cref="FullScale"/>): one snapshot each.</summary>
        public const int FullScaleEpochs = 5;
    }

    /// <summary>
    /// The full-scale protocol (docs/benchmarks.md, "The full-scale protocol"; CLI <c>--full</c>): the default network and SSC
    /// options with every test image as a probe (<see cref="Defaults.FullScaleProbesPerClass"/> per class) at each of
    /// <see cref="Defaults.FullScaleEpochs"/> epochs.
    /// </summary>
    public static AnalysisRunOptions FullScale() => new() { ProbesPerClass = Defaults.FullScaleProbesPerClass, Epochs = Defaults.FullScaleEpochs };

    /// <summary>Network spec for <see cref="ModelZoo.Create"/>.</summary>
    public string Model { get; set; } = Defaults.Model;

    /// <summary>Training epochs (one snapshot each).</summary>
    public int Epochs { get; set; } = Defaults.Epochs;

    /// <summary>Share of the training split used, class-balanced, in (0, 1].</summary>
    public double TrainingFraction { get; set; } = Defaults.TrainingFraction;

    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; set; } = Defaults.BatchSize;

    /// <summary>Initial learning rate.</summary>
    public double LearningRate { get; set; } = Defaults.LearningRate;

    /// <summary>Random crop and flip augmentation while training.</summary>
    public bool Augment { get; set; }

    /// <summary>Probe inputs per class, sampled class-balanced from the test split.</summary>
    public int ProbesPerClass { get; set; } = Defaults.ProbesPerClass;

    /// <summary>The seed every random choice derives from (probes, data subset, shuffles, augmentation, initial weights,
    /// Louvain, k-means); null takes the MLContext's seed when the run is given one, else <see cref="Defaults.Seed"/>.</summary>
    public int? Seed { get; set; }

    /// <summary>A copy for one run, its seed decided: <see cref="Seed"/>, else the environment's, else the default.</summary>
    internal AnalysisRunOptions ForRun(int? environmentSeed)
    {
        var copy = (AnalysisRunOptions)MemberwiseClone();
        copy.Seed = Seed ?? environmentSeed ?? Defaults.Seed;
        return copy;
    }

    /// <summary>The seed of a copy made by <see cref="ForRun"/>.</summary>
    internal int RunSeed => Seed ?? throw new InvalidOperationException("The seed is decided by ForRun.");

    /// <summary>Settling threshold on similarity to the final epoch.</summary>
    public double SettlingThreshold { get; set; } = Settling.DefaultThreshold;

    /// <summary>How many misclassified inputs to explain.</summary>
    public int MisclassifiedCases { get; set; } = Defaults.MisclassifiedCases;

    /// <summary>How to build each layer's graph (the same options the <c>SscAffinity</c> estimator takes).</summary>
    public SscOptions Ssc { get; set; } = new();

    /// <summary>Layers to analyse by name; null means every Conv2d (shortcut convs included).</summary>
    public IReadOnlyList<string>? Layers { get; set; }

    /// <summary>Layer-similarity measures whose L x L heatmaps the report shows beside SSC-CKA (over the final model's
    /// activations, each with its settings); empty by default.</summary>
    public IReadOnlyList<SimilarityOptions> Similarities { get; set; } = [];

    /// <summary>How the contiguous blocks of the SSC-CKA matrix are found and tested; default <see cref="BlockSegmentationOptions.Defaults"/>.</summary>
    public BlockSegmentationOptions Blocks { get; set; } = new();

    /// <summary>Device override; null follows the MLContext.</summary>
    public DeviceOptions? Device { get; set; }

    /// <summary>Executes the per-layer graph units (<see cref="Units.LayerGraphUnit"/>): null runs them in this process
    /// (<see cref="Units.LocalUnitRunner"/> over the run folder); a cluster runner runs them on silos, and the run folder must then lie
    /// inside its shared folder. Not part of the manifest: a run started on a cluster resumes locally, and the reverse.</summary>
    public Units.IUnitRunner? UnitRunner { get; set; }

    /// <summary>1: each layer's pass is one work unit. More: each layer is split into its Gram matrix's row blocks and this many
    /// blocks of samples' codes, each a unit, then a unit that puts them together (<see cref="Units.LayerGraphUnit.Parts"/>), so
    /// that the silos of a cluster share one large layer; the results are the same bytes. Needs the omp solver from the Gram
    /// matrix, on the CPU. Not part of the manifest. Default <see cref="Defaults.ColumnBlocks"/>.</summary>
    public int ColumnBlocks { get; set; } = Defaults.ColumnBlocks;

    /// <summary>Checks every option, naming the first bad one.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, string expected, object value)
        {
            if (!ok) throw new ArgumentOutOfRangeException(name, value, $"The '{name}' option of the analysis run must be {expected}. Got {value} instead.");
        }
        Check(Epochs >= 1, nameof(Epochs), "an integer of 1 or more", Epochs);
        Check(TrainingFraction is > 0 and <= 1, nameof(TrainingFraction), "in (0, 1]", TrainingFraction);
        Check(BatchSize >= 1, nameof(BatchSize), "an integer of 1 or more", BatchSize);
        Check(LearningRate > 0, nameof(LearningRate), "positive", LearningRate);
        Check(ProbesPerClass >= 2, nameof(ProbesPerClass), "an integer of 2 or more", ProbesPerClass);
        Check(SettlingThreshold is > 0 and <= 1, nameof(SettlingThreshold), "in (0, 1]", SettlingThreshold);
        Check(MisclassifiedCases >= 0, nameof(MisclassifiedCases), "0 or more", MisclassifiedCases);
        Check(Ssc is not null, nameof(Ssc), "an SscOptions", "null");
        Ssc!.Validate();
        Check(ColumnBlocks >= 1, nameof(ColumnBlocks), "an integer of 1 or more", ColumnBlocks);
        if (ColumnBlocks > 1 && !Ssc.SolvesFromGram)
            throw new ArgumentException($"The 'ColumnBlocks' option of the analysis run ({ColumnBlocks}) splits a layer's codes into blocks, which only the omp solver solving from the Gram matrix allows (its samples' codes are independent); these SSC options use {Ssc.SolverDescription}. Use ColumnBlocks = 1 or the omp solver.", nameof(ColumnBlocks));
        Check(Similarities is not null && Similarities.All(s => s is not null), nameof(Similarities), "a list of SimilarityOptions (empty for none)", "null");
        foreach (var similarity in Similarities!) similarity.Validate();
        Check(Blocks is not null, nameof(Blocks), "a BlockSegmentationOptions", "null");
        Blocks!.Validate();
    }

    internal Dictionary<string, string> Describe()
    {
        var described = Described();
        // Only when asked for, so the manifests of runs without extra measures stay as they were.
        if (Similarities.Count > 0) described["similarities"] = string.Join("; ", Similarities.Select(s => s.Describe()));
        return described;
    }

    private Dictionary<string, string> Described() => new()
    {
        ["model"] = Model,
        ["epochs"] = Epochs.ToString(CultureInfo.InvariantCulture),
        ["training_fraction"] = TrainingFraction.ToString(CultureInfo.InvariantCulture),
        ["batch_size"] = BatchSize.ToString(CultureInfo.InvariantCulture),
        ["learning_rate"] = LearningRate.ToString(CultureInfo.InvariantCulture),
        ["augment"] = Augment.ToString(),
        ["probes_per_class"] = ProbesPerClass.ToString(CultureInfo.InvariantCulture),
        ["settling_threshold"] = SettlingThreshold.ToString(CultureInfo.InvariantCulture),
        ["cases"] = MisclassifiedCases.ToString(CultureInfo.InvariantCulture),
        ["ssc"] = Ssc.Describe(),
        ["layers"] = Layers is null ? "every Conv2d" : string.Join(",", Layers),
    };
}

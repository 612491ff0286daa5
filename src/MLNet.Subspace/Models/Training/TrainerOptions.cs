using MLNet.Subspace.Torch;

namespace MLNet.Subspace.Models.Training;

/// <summary>Settings of a <see cref="Trainer"/>. Defaults follow the usual CIFAR recipe.</summary>
public sealed class TrainerOptions
{
    /// <summary>Defaults, defined once; the CLI and the docs refer to them.</summary>
    public static class Defaults
    {
        /// <summary>Default epochs: 10.</summary>
        public const int Epochs = 10;
        /// <summary>Default batch size: 128.</summary>
        public const int BatchSize = 128;
        /// <summary>Default learning rate: 0.1.</summary>
        public const double LearningRate = 0.1;
        /// <summary>Default momentum: 0.9.</summary>
        public const double Momentum = 0.9;
        /// <summary>Default weight decay: 5e-4.</summary>
        public const double WeightDecay = 5e-4;
        /// <summary>Default schedule: LearningRateSchedule.Cosine.</summary>
        public const LearningRateSchedule Schedule = LearningRateSchedule.Cosine;
        /// <summary>Default step epochs: 30.</summary>
        public const int StepEpochs = 30;
        /// <summary>Default gamma: 0.1.</summary>
        public const double Gamma = 0.1;
        /// <summary>Default crop padding: 4.</summary>
        public const int CropPadding = 4;
        /// <summary>Default training fraction: 1.0.</summary>
        public const double TrainingFraction = 1.0;
        /// <summary>Default seed: 1.</summary>
        public const int Seed = 1;
        /// <summary>Default evaluation batch size: 256.</summary>
        public const int EvaluationBatchSize = 256;
    }

    /// <summary>Number of epochs. Default <see cref="Defaults.Epochs"/>.</summary>
    public int Epochs { get; set; } = Defaults.Epochs;

    /// <summary>Images per SGD step. Default <see cref="Defaults.BatchSize"/>.</summary>
    public int BatchSize { get; set; } = Defaults.BatchSize;

    /// <summary>Initial learning rate. Default <see cref="Defaults.LearningRate"/>.</summary>
    public double LearningRate { get; set; } = Defaults.LearningRate;

    /// <summary>SGD momentum. Default <see cref="Defaults.Momentum"/>.</summary>
    public double Momentum { get; set; } = Defaults.Momentum;

    /// <summary>L2 weight decay. Default <see cref="Defaults.WeightDecay"/>.</summary>
    public double WeightDecay { get; set; } = Defaults.WeightDecay;

    /// <summary>Learning-rate schedule, applied per epoch. Default <see cref="Defaults.Schedule"/>.</summary>
    public LearningRateSchedule Schedule { get; set; } = Defaults.Schedule;

    /// <summary>Epochs between decays of the step schedule. Default <see cref="Defaults.StepEpochs"/>.</summary>
    public int StepEpochs { get; set; } = Defaults.StepEpochs;

    /// <summary>Decay factor of the step schedule. Default <see cref="Defaults.Gamma"/>.</summary>
    public double Gamma { get; set; } = Defaults.Gamma;

    /// <summary>Random crop (after zero padding by <see cref="CropPadding"/>) and horizontal flip of training images. Default false.</summary>
    public bool Augment { get; set; }

    /// <summary>Padding of the random crop. Default <see cref="Defaults.CropPadding"/>.</summary>
    public int CropPadding { get; set; } = Defaults.CropPadding;

    /// <summary>Share of the training set used, drawn class-balanced (the same share of each class) and seeded; in (0, 1]. Default <see cref="Defaults.TrainingFraction"/>.</summary>
    public double TrainingFraction { get; set; } = Defaults.TrainingFraction;

    /// <summary>Seed of the subset, the shuffles and the augmentation. Default <see cref="Defaults.Seed"/>.</summary>
    public int Seed { get; set; } = Defaults.Seed;

    /// <summary>Folder for per-epoch snapshots (epoch-NNN.pt, epoch-NNN.optim.pt, epoch-NNN.json); null means none. A run finds its last snapshot there and resumes from it.</summary>
    public string? SnapshotFolder { get; set; }

    /// <summary>Images per evaluation forward pass. Default <see cref="Defaults.EvaluationBatchSize"/>.</summary>
    public int EvaluationBatchSize { get; set; } = Defaults.EvaluationBatchSize;

    /// <summary>Where to train; null means the CPU (the analysis run and the CLI merge in an MLContext's GPU settings).</summary>
    public DeviceOptions? Device { get; set; }

    internal void Validate()
    {
        static void Check(bool ok, string name, string expected, object value)
        {
            if (!ok) throw new ArgumentOutOfRangeException(name, value, $"The '{name}' option of Trainer must be {expected}. Got {value} instead.");
        }
        Check(Epochs >= 1, nameof(Epochs), "an integer in [1, inf)", Epochs);
        Check(BatchSize >= 1, nameof(BatchSize), "an integer in [1, inf)", BatchSize);
        Check(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), "a positive number", LearningRate);
        Check(Momentum is >= 0 and < 1, nameof(Momentum), "a number in [0, 1)", Momentum);
        Check(WeightDecay >= 0 && double.IsFinite(WeightDecay), nameof(WeightDecay), "a number in [0, inf)", WeightDecay);
        Check(StepEpochs >= 1, nameof(StepEpochs), "an integer in [1, inf)", StepEpochs);
        Check(Gamma is > 0 and <= 1, nameof(Gamma), "a number in (0, 1]", Gamma);
        Check(CropPadding >= 0, nameof(CropPadding), "an integer in [0, inf)", CropPadding);
        Check(TrainingFraction is > 0 and <= 1, nameof(TrainingFraction), "a number in (0, 1]", TrainingFraction);
        Check(EvaluationBatchSize >= 1, nameof(EvaluationBatchSize), "an integer in [1, inf)", EvaluationBatchSize);
        Check(SnapshotFolder is null || !string.IsNullOrWhiteSpace(SnapshotFolder), nameof(SnapshotFolder), "a folder path, not empty", $"'{SnapshotFolder}'");
    }

    /// <summary>The settings that must match for a snapshot to be resumed.</summary>
    internal string Fingerprint()
        => string.Join(";", Epochs, BatchSize, LearningRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            Momentum.ToString("R", System.Globalization.CultureInfo.InvariantCulture), WeightDecay.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            Schedule, StepEpochs, Gamma.ToString("R", System.Globalization.CultureInfo.InvariantCulture), Augment, CropPadding,
            TrainingFraction.ToString("R", System.Globalization.CultureInfo.InvariantCulture), Seed);

    /// <summary>The learning rate of epoch <paramref name="epoch"/> (0-based).</summary>
    /// <param name="epoch">The epoch.</param>
    /// <returns>The rate.</returns>
    public double LearningRateAt(int epoch) => Schedule switch
    {
        LearningRateSchedule.Cosine => LearningRate * 0.5 * (1 + Math.Cos(Math.PI * epoch / Epochs)),
        LearningRateSchedule.Step => LearningRate * Math.Pow(Gamma, epoch / StepEpochs),
        _ => LearningRate,
    };
}

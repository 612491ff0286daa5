namespace MLNet.Subspace.Models.Training;

/// <summary>The outcome of <see cref="Trainer.Train"/>.</summary>
/// <param name="Epochs">Metrics of every epoch, including those restored from snapshots.</param>
/// <param name="ResumedFromEpoch">The snapshot epoch the run continued from (0 for a fresh run).</param>
public sealed record TrainingResult(IReadOnlyList<EpochMetrics> Epochs, int ResumedFromEpoch);

namespace MLNet.Subspace.Models.Training;

/// <summary>What one epoch achieved; written as JSON beside each snapshot.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="LearningRate">The rate used in this epoch.</param>
/// <param name="TrainLoss">Mean cross-entropy over the epoch's training batches.</param>
/// <param name="TrainAccuracy">Share of training images classified correctly during the epoch (in train mode, augmented).</param>
/// <param name="TestLoss">Mean cross-entropy on the evaluation set, or null without one.</param>
/// <param name="TestAccuracy">Accuracy on the evaluation set, or null without one.</param>
/// <param name="TrainImages">Training images seen in the epoch.</param>
/// <param name="Seconds">Wall time of the epoch.</param>
public sealed record EpochMetrics(int Epoch, double LearningRate, double TrainLoss, double TrainAccuracy, double? TestLoss, double? TestAccuracy, int TrainImages, double Seconds);

/// <summary>Progress of a training run, reported after every batch and every epoch.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Total epochs.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="RunningLoss">Mean loss of the epoch so far.</param>
/// <param name="Completed">The epoch's metrics once it has finished (and its snapshot is written), else null.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double RunningLoss, EpochMetrics? Completed);

/// <summary>The outcome of <see cref="Trainer.Train"/>.</summary>
/// <param name="Epochs">Metrics of every epoch, including those restored from snapshots.</param>
/// <param name="ResumedFromEpoch">The snapshot epoch the run continued from (0 for a fresh run).</param>
public sealed record TrainingResult(IReadOnlyList<EpochMetrics> Epochs, int ResumedFromEpoch);

namespace MLNet.Subspace.Models.Training;

/// <summary>Progress of a training run, reported after every batch and every epoch.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Total epochs.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="RunningLoss">Mean loss of the epoch so far.</param>
/// <param name="Completed">The epoch's metrics once it has finished (and its snapshot is written), else null.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double RunningLoss, EpochMetrics? Completed);

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

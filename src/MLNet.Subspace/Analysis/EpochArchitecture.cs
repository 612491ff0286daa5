namespace MLNet.Subspace.Analysis;

/// <summary>The L x L SSC-CKA matrix and its blocks after one training epoch: the per-epoch view of
/// <see cref="ArchitectureResult"/> that shows whether the block structure forms, stays or fades with training.</summary>
/// <param name="Epoch">The snapshot's epoch (1-based).</param>
/// <param name="Architecture">That epoch's SSC-CKA matrix and blocks, found with the run's <see cref="Numerics.Graphs.BlockSegmentationOptions"/>.</param>
public sealed record EpochArchitecture(int Epoch, ArchitectureResult Architecture);

using MLNet.Subspace.Models.Activations;

namespace MLNet.Subspace.Analysis;

/// <summary>One training epoch's activations of the probe inputs and their layer graphs.</summary>
/// <param name="Epoch">The epoch number.</param>
/// <param name="Activations">The activations after that epoch.</param>
/// <param name="Graphs">Their graphs, in layer order.</param>
public sealed record EpochGraphs(int Epoch, LayerActivations Activations, IReadOnlyList<LayerGraph> Graphs);

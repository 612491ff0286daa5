using MLNet.Subspace.Numerics.Graphs;

namespace MLNet.Subspace.Numerics.Ssc;

/// <summary>Result of the whole SSC pipeline: codes, graph, clusters and phase timings.</summary>
/// <param name="Expression">The codes and solver diagnostics.</param>
/// <param name="Graph">W = |C| + |C|<sup>T</sup> after post-processing.</param>
/// <param name="Labels">Cluster of every sample.</param>
/// <param name="SpectralSeconds">Seconds of spectral clustering.</param>
public sealed record SscResult(SelfExpression Expression, AffinityGraph Graph, int[] Labels, double SpectralSeconds);

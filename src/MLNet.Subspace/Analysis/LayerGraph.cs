using MLNet.Subspace.Numerics.Graphs;
using MLNet.Subspace.Numerics.Ssc;

namespace MLNet.Subspace.Analysis;

/// <summary>One layer's affinity graph and how it was solved.</summary>
/// <param name="Layer">The layer's name.</param>
/// <param name="Features">d, the length of the layer's activation vector.</param>
/// <param name="Graph">W = |C| + |C|^T.</param>
/// <param name="Expression">The codes C and the solver's diagnostics.</param>
public sealed record LayerGraph(string Layer, int Features, AffinityGraph Graph, SelfExpression Expression);

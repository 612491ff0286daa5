namespace MLNet.Subspace.Numerics.Graphs;

/// <summary>Communities found by <see cref="Louvain"/>.</summary>
/// <param name="Communities">Community of each node, numbered 0..Count-1 in order of first appearance.</param>
/// <param name="Count">Number of communities.</param>
/// <param name="Modularity">Modularity Q of the partition on the input graph.</param>
/// <param name="Levels">Aggregation levels that improved Q.</param>
public sealed record LouvainResult(int[] Communities, int Count, double Modularity, int Levels);

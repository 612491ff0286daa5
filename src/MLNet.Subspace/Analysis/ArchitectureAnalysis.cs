using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Graphs;

namespace MLNet.Subspace.Analysis;

/// <summary>Compares every layer's graph with every other's.</summary>
public static class ArchitectureAnalysis
{
    /// <summary>The SSC-CKA matrix of the layers' graphs and its blocks.</summary>
    /// <param name="graphs">The graphs, in layer order.</param>
    public static ArchitectureResult Run(IReadOnlyList<LayerGraph> graphs)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        if (graphs.Count == 0) throw new ArgumentException("There are no layer graphs to compare.", nameof(graphs));
        var matrix = GraphCka.Matrix(graphs.Select(g => g.Graph.Weights).ToList(), names: graphs.Select(g => g.Layer).ToList());
        return new ArchitectureResult(matrix, BlockStructure.Find(matrix.Values));
    }
}

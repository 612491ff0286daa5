using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Graphs;

namespace MLNet.Subspace.Analysis;

/// <summary>Compares every layer's graph with every other's.</summary>
public static class ArchitectureAnalysis
{
    /// <summary>The SSC-CKA matrix of the layers' graphs and its contiguous blocks.</summary>
    /// <param name="graphs">The graphs, in layer order.</param>
    /// <param name="blocks">How the blocks are found and tested; default <see cref="BlockSegmentationOptions.Defaults"/>.</param>
    public static ArchitectureResult Run(IReadOnlyList<LayerGraph> graphs, BlockSegmentationOptions? blocks = null)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        if (graphs.Count == 0) throw new ArgumentException("There are no layer graphs to compare.", nameof(graphs));
        var matrix = GraphCka.Matrix(graphs.Select(g => g.Graph.Weights).ToList(), names: graphs.Select(g => g.Layer).ToList());
        return new ArchitectureResult(matrix, BlockSegmentation.Find(matrix.Values, blocks));
    }
}

using MLNet.Subspace.Torch;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Similarity;

/// <summary>One layer for <see cref="PairwiseSimilarity"/>: its name, feature count and how to make its N x d tensor.</summary>
/// <param name="Name">The layer's name (used in messages).</param>
/// <param name="Features">d.</param>
/// <param name="Load">Makes the N x d tensor (called once, in a dispose scope that ends after the layer is prepared).</param>
internal sealed record LayerInput(string Name, long Features, Func<Tensor> Load);

/// <summary>
/// A measure between every pair of layers with the per-layer work done once: L x L costs L preparations (centring, SVD,
/// Gram matrix, RDM ranks, neighbour lists) and L^2 pair steps (<see cref="SimilarityOptions.Prepare"/>,
/// <see cref="SimilarityOptions.Compare"/>); the values equal the measure's per-pair functions on the same two layers.
/// </summary>
internal static class PairwiseSimilarity
{
    /// <summary>
    /// values[i, j] = measure(rows[i], columns[j]); with <paramref name="columns"/> null, every pair of <paramref name="rows"/>
    /// (symmetric measures once per unordered pair, the diagonal included).
    /// </summary>
    /// <param name="options">The measure (validated here).</param>
    /// <param name="n">N, the inputs of every layer.</param>
    /// <param name="rows">The layers of the matrix's rows.</param>
    /// <param name="columns">The layers of its columns, or null for the rows again.</param>
    /// <exception cref="InsufficientMemoryException">The prepared layers would not fit (the estimate is in the message).</exception>
    public static double[,] Compute(SimilarityOptions options, long n, IReadOnlyList<LayerInput> rows, IReadOnlyList<LayerInput>? columns = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var all = columns is null ? rows : rows.Concat(columns).ToList();
        long need = all.Sum(l => options.PreparedBytes(n, l.Features));
        MemoryBudget.Check($"{SimilarityOptions.MeasureName(options.Measure)} between all pairs of {all.Count} layers of N = {n} inputs (each layer prepared once and kept)",
            need, MemoryBudget.AvailableBytes(), "Compare fewer layers at a time, or fewer inputs.");
        var prepared = new List<PreparedLayer>(all.Count);
        try
        {
            foreach (var layer in all)
            {
                using var scope = NewDisposeScope();
                prepared.Add(options.Prepare(layer.Load(), layer.Name).Detached());
            }
            int l1 = rows.Count, l2 = columns?.Count ?? rows.Count, offset = columns is null ? 0 : l1;
            bool symmetric = columns is null && options.Symmetric;
            var values = new double[l1, l2];
            for (int i = 0; i < l1; i++)
                for (int j = symmetric ? i : 0; j < l2; j++)
                {
                    using var scope = NewDisposeScope();
                    values[i, j] = options.Compare(prepared[i], prepared[offset + j]);
                    if (symmetric) values[j, i] = values[i, j];
                }
            return values;
        }
        finally
        {
            foreach (var layer in prepared) layer.Dispose();
        }
    }
}

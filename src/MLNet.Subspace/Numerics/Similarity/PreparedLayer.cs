using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Similarity;

/// <summary>
/// One representation with the work a measure does on each representation alone already done (centring, SVD bases,
/// Gram matrices, RDM ranks, neighbour lists), so L layers compared in all pairs cost L preparations and L^2 pair
/// steps (<see cref="SimilarityOptions.Prepare"/>, <see cref="SimilarityOptions.Compare"/>). It owns its tensors.
/// </summary>
internal abstract class PreparedLayer : IDisposable
{
    /// <summary>Creates a prepared layer of <paramref name="rows"/> inputs.</summary>
    protected PreparedLayer(long rows) => Rows = rows;

    /// <summary>The number of inputs N.</summary>
    public long Rows { get; }

    /// <summary>The tensors this layer holds (null entries allowed).</summary>
    protected abstract IEnumerable<Tensor?> Owned { get; }

    /// <summary>Takes the tensors out of the dispose scope they were made in, so the layer outlives it; <see cref="Dispose"/> frees them.</summary>
    public PreparedLayer Detached()
    {
        foreach (var tensor in Owned) tensor?.DetachFromDisposeScope();
        return this;
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        foreach (var tensor in Owned) tensor?.Dispose();
        GC.SuppressFinalize(this);
    }
}

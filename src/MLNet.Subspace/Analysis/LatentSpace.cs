using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Numerics.Spectral;

namespace MLNet.Subspace.Analysis;

/// <summary>Where the correctly classified inputs sit in a layer's latent space (the paper's scatter plots).</summary>
public static class LatentSpace
{
    /// <summary>Embeds the correctly classified inputs of each chosen layer in 2-D (spectral embedding of the layer graph's sub-graph on those inputs).</summary>
    /// <param name="activations">The activations (with labels and the network's predictions).</param>
    /// <param name="graphs">All layer graphs, in layer order.</param>
    /// <param name="layers">Indices of the layers to embed.</param>
    /// <param name="seed">Seed of the eigensolver.</param>
    public static IReadOnlyList<LayerEmbedding> Run(LayerActivations activations, IReadOnlyList<LayerGraph> graphs, IReadOnlyList<int> layers, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(activations);
        ArgumentNullException.ThrowIfNull(graphs);
        ArgumentNullException.ThrowIfNull(layers);
        int[] labels = activations.Labels ?? throw new ArgumentException("The latent-space analysis needs the true labels of the probe inputs.", nameof(activations));
        int[] correct = Enumerable.Range(0, activations.Count).Where(i => activations.Predictions[i] == labels[i]).ToArray();
        if (correct.Length < 3)
            throw new InvalidOperationException($"Only {correct.Length} probe input(s) are classified correctly; a 2-D embedding needs at least 3. Train the network longer or use more probes.");
        var result = new List<LayerEmbedding>();
        foreach (int l in layers)
        {
            if ((uint)l >= (uint)graphs.Count) throw new ArgumentOutOfRangeException(nameof(layers), l, $"Layer index must be in [0, {graphs.Count}).");
            var sub = graphs[l].Graph.Weights.Submatrix(correct);
            double[] xy = SpectralClustering.Embed2D(sub, seed);
            result.Add(new LayerEmbedding(graphs[l].Layer, correct,
                Enumerable.Range(0, correct.Length).Select(i => xy[2 * i]).ToArray(),
                Enumerable.Range(0, correct.Length).Select(i => xy[2 * i + 1]).ToArray(),
                correct.Select(i => labels[i]).ToArray()));
        }
        return result;
    }
}

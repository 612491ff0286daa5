using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Graphs;
using TorchSharp;

namespace MLNet.Subspace.Analysis;

/// <summary>Compares every epoch's layer graphs (and raw activations) with the final epoch's.</summary>
/// <remarks>Cost: per layer and epoch one sparse SSC-CKA (O(nnz + N)) and one linear CKA (O(N^2 d) in Gram form).</remarks>
public static class TrainingDynamics
{
    /// <summary>Runs the comparison; the last element of <paramref name="epochs"/> is the final model.</summary>
    /// <param name="epochs">Per-epoch graphs in increasing epoch order, on the same probe inputs and layers.</param>
    /// <param name="threshold">Settling threshold on similarity to the final epoch.</param>
    public static DynamicsResult Run(IReadOnlyList<EpochGraphs> epochs, double threshold = Settling.DefaultThreshold)
    {
        Check(epochs);
        var final = epochs[^1];
        int layers = final.Graphs.Count;
        int n = final.Activations.Count;
        var linear = new double[epochs.Count][];
        for (int e = 0; e < epochs.Count; e++) linear[e] = new double[layers];
        for (int l = 0; l < layers; l++)
        {
            using var scope = torch.NewDisposeScope();
            var finalX = torch.tensor(final.Activations.Values[l], [n, final.Activations.Size(l)]);
            for (int e = 0; e < epochs.Count; e++)
                linear[e][l] = CkaMath.Compute(torch.tensor(epochs[e].Activations.Values[l], [n, epochs[e].Activations.Size(l)]), finalX);
        }
        return Compare(epochs, linear, threshold);
    }

    /// <summary>Runs the comparison with each layer's linear CKA to the final epoch already known (the streamed run computes it
    /// from the layers' centred Gram matrices); the activations need hold no layers, only the labels.</summary>
    /// <param name="epochs">Per-epoch graphs in increasing epoch order, on the same probe inputs and layers.</param>
    /// <param name="linearToFinal">linearToFinal[e][l]: linear CKA of layer l at epoch e to the final epoch's.</param>
    /// <param name="threshold">Settling threshold on similarity to the final epoch.</param>
    public static DynamicsResult Run(IReadOnlyList<EpochGraphs> epochs, IReadOnlyList<IReadOnlyList<double>> linearToFinal, double threshold = Settling.DefaultThreshold)
    {
        Check(epochs);
        ArgumentNullException.ThrowIfNull(linearToFinal);
        if (linearToFinal.Count != epochs.Count || linearToFinal.Any(row => row is null || row.Count != epochs[^1].Graphs.Count))
            throw new ArgumentException($"Give one linear CKA per epoch ({epochs.Count}) and layer ({epochs[^1].Graphs.Count}).", nameof(linearToFinal));
        return Compare(epochs, linearToFinal, threshold);
    }

    private static void Check(IReadOnlyList<EpochGraphs> epochs)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        if (epochs.Count == 0) throw new ArgumentException("There are no epochs to compare.", nameof(epochs));
        var final = epochs[^1];
        int layers = final.Graphs.Count;
        _ = final.Activations.Labels ?? throw new ArgumentException("The training-dynamics analysis needs the true labels of the probe inputs.", nameof(epochs));
        foreach (var e in epochs)
        {
            if (e.Graphs.Count != layers || !e.Graphs.Select(g => g.Layer).SequenceEqual(final.Graphs.Select(g => g.Layer)))
                throw new ArgumentException($"Epoch {e.Epoch} has layers [{string.Join(", ", e.Graphs.Select(g => g.Layer))}] but the final epoch has [{string.Join(", ", final.Graphs.Select(g => g.Layer))}].", nameof(epochs));
            if (e.Activations.Count != final.Activations.Count)
                throw new ArgumentException($"Epoch {e.Epoch} has {e.Activations.Count} probe inputs but the final epoch has {final.Activations.Count}; compare the same probes.", nameof(epochs));
        }

    }

    private static DynamicsResult Compare(IReadOnlyList<EpochGraphs> epochs, IReadOnlyList<IReadOnlyList<double>> linearToFinal, double threshold)
    {
        var final = epochs[^1];
        int layers = final.Graphs.Count;
        int[] labels = final.Activations.Labels!;
        var perEpoch = new List<DynamicsRow>(layers * epochs.Count);
        var settling = new List<SettlingRow>(layers);
        int[] epochNumbers = epochs.Select(e => e.Epoch).ToArray();
        for (int l = 0; l < layers; l++)
        {
            var ssc = new double[epochs.Count];
            var linear = new double[epochs.Count];
            for (int e = 0; e < epochs.Count; e++)
            {
                var current = epochs[e];
                ssc[e] = GraphCka.Cka(current.Graphs[l].Graph.Weights, final.Graphs[l].Graph.Weights);
                linear[e] = linearToFinal[e][l];
                perEpoch.Add(new DynamicsRow(l, final.Graphs[l].Layer, current.Epoch, ssc[e], linear[e], Modularity.Compute(current.Graphs[l].Graph.Weights, labels)));
            }
            settling.Add(new SettlingRow(l, final.Graphs[l].Layer, Settling.Epoch(epochNumbers, ssc, threshold), Settling.Epoch(epochNumbers, linear, threshold)));
        }
        return new DynamicsResult(perEpoch, settling, threshold);
    }
}

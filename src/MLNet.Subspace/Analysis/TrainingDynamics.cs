using Microsoft.Data.Analysis;
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
    public static DynamicsResult Run(IReadOnlyList<EpochGraphs> epochs, double threshold = Analysis.Settling.DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        if (epochs.Count == 0) throw new ArgumentException("There are no epochs to compare.", nameof(epochs));
        var final = epochs[^1];
        int layers = final.Graphs.Count;
        int[] labels = final.Activations.Labels ?? throw new ArgumentException("The training-dynamics analysis needs the true labels of the probe inputs.", nameof(epochs));
        foreach (var e in epochs)
        {
            if (e.Graphs.Count != layers || !e.Graphs.Select(g => g.Layer).SequenceEqual(final.Graphs.Select(g => g.Layer)))
                throw new ArgumentException($"Epoch {e.Epoch} has layers [{string.Join(", ", e.Graphs.Select(g => g.Layer))}] but the final epoch has [{string.Join(", ", final.Graphs.Select(g => g.Layer))}].", nameof(epochs));
            if (e.Activations.Count != final.Activations.Count)
                throw new ArgumentException($"Epoch {e.Epoch} has {e.Activations.Count} probe inputs but the final epoch has {final.Activations.Count}; compare the same probes.", nameof(epochs));
        }

        var layerIndex = new PrimitiveDataFrameColumn<int>("layer_index");
        var layerName = new StringDataFrameColumn("layer");
        var epochColumn = new PrimitiveDataFrameColumn<int>("epoch");
        var sscCka = new DoubleDataFrameColumn("ssc_cka_to_final");
        var linearCka = new DoubleDataFrameColumn("linear_cka_to_final");
        var modularity = new DoubleDataFrameColumn("modularity");
        var settleIndex = new PrimitiveDataFrameColumn<int>("layer_index");
        var settleName = new StringDataFrameColumn("layer");
        var settleSsc = new PrimitiveDataFrameColumn<int>("settle_epoch_ssc_cka");
        var settleLinear = new PrimitiveDataFrameColumn<int>("settle_epoch_linear_cka");
        int n = final.Activations.Count;
        int[] epochNumbers = epochs.Select(e => e.Epoch).ToArray();
        for (int l = 0; l < layers; l++)
        {
            var ssc = new double[epochs.Count];
            var linear = new double[epochs.Count];
            using var scope = torch.NewDisposeScope();
            var finalX = torch.tensor(final.Activations.Values[l], [n, final.Activations.Size(l)]);
            for (int e = 0; e < epochs.Count; e++)
            {
                var current = epochs[e];
                ssc[e] = GraphCka.Cka(current.Graphs[l].Graph.Weights, final.Graphs[l].Graph.Weights);
                var x = torch.tensor(current.Activations.Values[l], [n, current.Activations.Size(l)]);
                linear[e] = CkaMath.Compute(x, finalX);
                layerIndex.Append(l);
                layerName.Append(final.Graphs[l].Layer);
                epochColumn.Append(current.Epoch);
                sscCka.Append(ssc[e]);
                linearCka.Append(linear[e]);
                modularity.Append(Modularity.Compute(current.Graphs[l].Graph.Weights, labels));
            }
            settleIndex.Append(l);
            settleName.Append(final.Graphs[l].Layer);
            settleSsc.Append(Analysis.Settling.Epoch(epochNumbers, ssc, threshold));
            settleLinear.Append(Analysis.Settling.Epoch(epochNumbers, linear, threshold));
        }
        return new DynamicsResult(
            new DataFrame(layerIndex, layerName, epochColumn, sscCka, linearCka, modularity),
            new DataFrame(settleIndex, settleName, settleSsc, settleLinear),
            threshold);
    }
}

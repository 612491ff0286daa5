using Microsoft.Data.Analysis;

namespace MLNet.Subspace.Analysis;

/// <summary>Why the network misclassified inputs, read from one layer's graph, and how SSC prediction compares with the network.</summary>
/// <param name="Layer">The layer (the paper: the final conv layer).</param>
/// <param name="Cases">The most confident misclassifications.</param>
/// <param name="SscPredictions">SSC prediction of every probe input (-1 without neighbours).</param>
/// <param name="Agreement">SSC accuracy, network accuracy and their agreement.</param>
public sealed record NeighbourhoodResult(string Layer, IReadOnlyList<MisclassifiedInput> Cases, int[] SscPredictions, PredictionAgreement Agreement)
{
    /// <summary>The agreement as a one-row DataFrame (layer, inputs, ssc_accuracy, network_accuracy, agreement).</summary>
    public DataFrame AgreementTable => new(
        new StringDataFrameColumn("layer", [Layer]),
        new PrimitiveDataFrameColumn<int>("inputs", [Agreement.Inputs]),
        new DoubleDataFrameColumn("ssc_accuracy", [Agreement.SscAccuracy]),
        new DoubleDataFrameColumn("network_accuracy", [Agreement.NetworkAccuracy]),
        new DoubleDataFrameColumn("agreement", [Agreement.Agreement]));
}

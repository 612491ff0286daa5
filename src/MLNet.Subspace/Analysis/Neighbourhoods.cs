using Microsoft.Data.Analysis;
using MLNet.Subspace.Models.Activations;

namespace MLNet.Subspace.Analysis;

/// <summary>A misclassified probe input with its affinity neighbourhood.</summary>
/// <param name="Input">Index into the probe set.</param>
/// <param name="TrueLabel">Its class.</param>
/// <param name="NetworkPrediction">The class the network chose.</param>
/// <param name="Confidence">The network's score for that class.</param>
/// <param name="Neighbourhood">Its neighbours at the layer, strongest first, and the class scores they give.</param>
public sealed record MisclassifiedInput(int Input, int TrueLabel, int NetworkPrediction, double Confidence, Neighbourhood Neighbourhood);

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

/// <summary>The neighbourhood analysis of one layer.</summary>
public static class Neighbourhoods
{
    /// <summary>Finds the most confident misclassifications and their neighbours, and scores SSC prediction against the network.</summary>
    /// <param name="activations">The activations (with labels, scores and predictions).</param>
    /// <param name="graph">The graph of the layer to read (usually the last conv layer).</param>
    /// <param name="cases">How many misclassified inputs to explain.</param>
    public static NeighbourhoodResult Run(LayerActivations activations, LayerGraph graph, int cases = 6)
    {
        ArgumentNullException.ThrowIfNull(activations);
        ArgumentNullException.ThrowIfNull(graph);
        if (cases < 0) throw new ArgumentOutOfRangeException(nameof(cases), cases, "Must be 0 or more.");
        int[] labels = activations.Labels ?? throw new ArgumentException("The neighbourhood analysis needs the true labels of the probe inputs.", nameof(activations));
        int classes = activations.Classes;
        var ssc = NeighbourVote.Predict(graph.Graph.Weights, labels, classes);
        var agreement = PredictionAgreement.Of(labels, ssc, activations.Predictions);
        double Confidence(int i) => activations.Scores[i * classes + activations.Predictions[i]];
        var worst = Enumerable.Range(0, activations.Count)
            .Where(i => activations.Predictions[i] != labels[i])
            .OrderByDescending(Confidence).ThenBy(i => i)
            .Take(cases)
            .Select(i => new MisclassifiedInput(i, labels[i], activations.Predictions[i], Confidence(i), NeighbourVote.Of(graph.Graph, labels, classes, i)))
            .ToList();
        return new NeighbourhoodResult(graph.Layer, worst, ssc, agreement);
    }
}

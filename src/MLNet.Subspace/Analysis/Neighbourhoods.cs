using MLNet.Subspace.Models.Activations;

namespace MLNet.Subspace.Analysis;

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
        // Votes run over the true classes, which the network's output need not score (an ImageNet featurizer on Fashion-MNIST).
        int labelClasses = labels.Length == 0 ? classes : Math.Max(classes, labels.Max() + 1);
        var ssc = NeighbourVote.Predict(graph.Graph.Weights, labels, labelClasses);
        var agreement = PredictionAgreement.Of(labels, ssc, activations.Predictions);
        double Confidence(int i) => activations.Scores[i * classes + activations.Predictions[i]];
        var worst = Enumerable.Range(0, activations.Count)
            .Where(i => activations.Predictions[i] != labels[i])
            .OrderByDescending(Confidence).ThenBy(i => i)
            .Take(cases)
            .Select(i => new MisclassifiedInput(i, labels[i], activations.Predictions[i], Confidence(i), NeighbourVote.Of(graph.Graph, labels, labelClasses, i)))
            .ToList();
        return new NeighbourhoodResult(graph.Layer, worst, ssc, agreement);
    }
}

namespace MLNet.Subspace.Analysis;

/// <summary>A misclassified probe input with its affinity neighbourhood.</summary>
/// <param name="Input">Index into the probe set.</param>
/// <param name="TrueLabel">Its class.</param>
/// <param name="NetworkPrediction">The class the network chose.</param>
/// <param name="Confidence">The network's score for that class.</param>
/// <param name="Neighbourhood">Its neighbours at the layer, strongest first, and the class scores they give.</param>
public sealed record MisclassifiedInput(int Input, int TrueLabel, int NetworkPrediction, double Confidence, Neighbourhood Neighbourhood);

namespace MLNet.Subspace.Analysis;

/// <summary>An input's neighbours in an affinity graph, strongest first, with the class scores they give.</summary>
/// <param name="Input">The input's index.</param>
/// <param name="Neighbours">Indices j with W[input, j] &gt; 0, by descending weight (ties by index).</param>
/// <param name="Weights">W[input, j] for each neighbour.</param>
/// <param name="ClassScores">s_c = sum of W[input, j] over neighbours j of class c, normalised to sum 1 (all zero when the input has no neighbours).</param>
/// <param name="Predicted">argmax_c s_c (the smallest class on ties), or -1 without neighbours.</param>
public sealed record Neighbourhood(int Input, int[] Neighbours, double[] Weights, double[] ClassScores, int Predicted);

namespace MLNet.Subspace.Analysis;

/// <summary>A 2-D spectral embedding of one layer's graph restricted to the correctly classified inputs.</summary>
/// <param name="Layer">The layer.</param>
/// <param name="Inputs">Indices of the embedded inputs (into the probe set).</param>
/// <param name="X">First coordinate of each embedded input.</param>
/// <param name="Y">Second coordinate.</param>
/// <param name="Labels">True class of each embedded input.</param>
public sealed record LayerEmbedding(string Layer, int[] Inputs, double[] X, double[] Y, int[] Labels);

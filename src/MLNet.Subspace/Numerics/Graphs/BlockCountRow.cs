namespace MLNet.Subspace.Numerics.Graphs;

/// <summary>The best contiguous segmentation into one number of blocks, and how it compares with shuffled layer orders.</summary>
/// <param name="Blocks">The number of blocks K.</param>
/// <param name="Score">Share of the variance of the layers' similarity profiles (rows) explained by the K block means, in [0, 1]; 0 for K = 1.</param>
/// <param name="NullMean">Mean of the same score over the shuffled layer orders.</param>
/// <param name="NullStandardError">Standard deviation of the null scores times sqrt(1 + 1/P) (the gap statistic's s_K).</param>
/// <param name="Gap">Score minus the null mean: how much more the contiguous blocks explain in the real layer order.</param>
/// <param name="PValue">(1 + number of shuffled orders scoring at least as high) / (1 + P): this K alone, not corrected for choosing K.</param>
/// <param name="Starts">First layer of each block, ascending (the first is 0).</param>
public sealed record BlockCountRow(int Blocks, double Score, double NullMean, double NullStandardError, double Gap, double PValue, IReadOnlyList<int> Starts);

namespace MLNet.Subspace.Numerics.Metrics;

/// <summary>What <see cref="ClusteringMetrics.NormalizedMutualInformation(IReadOnlyList{int}, IReadOnlyList{int}, NmiNormalization)"/>
/// divides the mutual information I(truth; predicted) by.</summary>
public enum NmiNormalization
{
    /// <summary>(H(truth) + H(predicted)) / 2, scikit-learn's default; symmetric in the two labelings.</summary>
    Arithmetic,

    /// <summary>H(truth), the entropy of the true classes alone: what ML.NET's <c>mlContext.Clustering.Evaluate</c> reports as NMI.</summary>
    TruthEntropy,
}

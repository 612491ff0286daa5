namespace MLNet.Subspace.Numerics.Similarity;

/// <summary>How two RDMs are compared: over their upper triangles (i &lt; j), as rsatoolbox's <c>compare</c> methods.</summary>
public enum RdmComparison
{
    /// <summary>Spearman's rho: Pearson r of the ranks, ties given their average rank (scipy's <c>rankdata</c> 'average').</summary>
    Spearman,

    /// <summary>Pearson r of the dissimilarities (rsatoolbox's 'corr').</summary>
    Pearson,

    /// <summary>Kendall's tau-a: (concordant - discordant) / (M (M - 1) / 2) over the M = N (N - 1) / 2 dissimilarities; tied pairs count as neither.</summary>
    KendallTauA,

    /// <summary>The cosine of the two dissimilarity vectors, not centred (rsatoolbox's 'cosine').</summary>
    Cosine,
}

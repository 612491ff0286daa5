namespace MLNet.Subspace.Numerics.Similarity;

/// <summary>The dissimilarity between two rows (inputs) of a representation, as rsatoolbox's <c>calc_rdm</c> methods.</summary>
public enum RdmDistance
{
    /// <summary>rsatoolbox's 'euclidean': the <b>squared</b> euclidean distance divided by the number of features d, ||x_i - x_j||^2 / d (the mean squared difference per feature).</summary>
    Euclidean,

    /// <summary>1 - Pearson r between the two rows (each row centred over its features); undefined for a constant row.</summary>
    Correlation,

    /// <summary>1 - cosine of the angle between the two rows; undefined for an all-zero row.</summary>
    Cosine,
}

namespace MLNet.Subspace.Analysis;

/// <summary>When a layer "settles" during training: the first epoch from which its similarity to the final epoch stays at or above a threshold.</summary>
public static class Settling
{
    /// <summary>The default threshold on similarity to the final epoch (SSC-CKA or linear CKA).</summary>
    public const double DefaultThreshold = 0.9;

    /// <summary>
    /// The first epoch e such that <paramref name="similarityToFinal"/>[k] &gt;= <paramref name="threshold"/> for every k &gt;= e.
    /// </summary>
    /// <param name="epochs">Epoch numbers, increasing.</param>
    /// <param name="similarityToFinal">Similarity of each epoch's representation to the final one (the last is 1 by definition).</param>
    /// <param name="threshold">The threshold.</param>
    /// <returns>The settling epoch; the last epoch when only the final one reaches the threshold; NaN similarities count as not settled.</returns>
    public static int Epoch(IReadOnlyList<int> epochs, IReadOnlyList<double> similarityToFinal, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentNullException.ThrowIfNull(similarityToFinal);
        if (epochs.Count == 0 || epochs.Count != similarityToFinal.Count)
            throw new ArgumentException($"Expected one similarity per epoch and at least one epoch. Got {epochs.Count} epochs and {similarityToFinal.Count} similarities.");
        if (!(threshold is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be in (0, 1].");
        int settled = epochs.Count - 1;
        for (int k = epochs.Count - 2; k >= 0 && similarityToFinal[k] >= threshold; k--) settled = k;
        return epochs[settled];
    }
}

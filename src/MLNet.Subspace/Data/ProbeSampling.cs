namespace MLNet.Subspace.Data;

/// <summary>Chooses probe inputs the way the paper does: class-balanced, from a test split, seeded.</summary>
public static class ProbeSampling
{
    /// <summary>
    /// Picks <paramref name="perClass"/> indices of every class at random, without replacement,
    /// returned grouped by class (class 0's picks first) and in increasing index order within a class.
    /// </summary>
    /// <param name="labels">One class index per input.</param>
    /// <param name="classCount">Number of classes.</param>
    /// <param name="perClass">Inputs to pick from each class.</param>
    /// <param name="random">The seeded generator.</param>
    /// <returns>The chosen indices.</returns>
    /// <exception cref="ArgumentException">A class has fewer than <paramref name="perClass"/> inputs (the message names it).</exception>
    public static int[] ClassBalanced(IReadOnlyList<int> labels, int classCount, int perClass, Random random)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(random);
        if (perClass <= 0) throw new ArgumentOutOfRangeException(nameof(perClass), perClass, "Must be positive.");
        var byClass = Enumerable.Range(0, classCount).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < labels.Count; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
                throw new ArgumentException($"Label {labels[i]} of input {i} is outside [0, {classCount}).", nameof(labels));
            byClass[labels[i]].Add(i);
        }
        var chosen = new List<int>(classCount * perClass);
        for (int c = 0; c < classCount; c++)
        {
            var pool = byClass[c];
            if (pool.Count < perClass)
                throw new ArgumentException($"Class {c} has {pool.Count} input(s) but {perClass} per class were requested.", nameof(perClass));
            var picked = pool.ToArray();
            // Partial Fisher-Yates: the first perClass slots end up a uniform sample.
            for (int i = 0; i < perClass; i++)
            {
                int j = random.Next(i, picked.Length);
                (picked[i], picked[j]) = (picked[j], picked[i]);
            }
            chosen.AddRange(picked.Take(perClass).Order());
        }
        return chosen.ToArray();
    }
}

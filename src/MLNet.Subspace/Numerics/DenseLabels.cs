namespace MLNet.Subspace.Numerics;

/// <summary>
/// The one label renumbering every metric and graph measure uses: labels of any integer values (sparse, negative) become
/// 0..k−1 in increasing order of value, so tables indexed by label are k long, never max(label) + 1 (a label of 10<sup>6</sup>
/// made a 10<sup>6</sup> x 10<sup>6</sup> Hungarian cost matrix). Labels already 0..k−1 with every value used keep their numbers,
/// so results on dense labels are unchanged. O(N log N).
/// </summary>
internal static class DenseLabels
{
    /// <summary>The labels renumbered 0..count−1 (increasing value order), and count, the number of distinct values.</summary>
    /// <param name="labels">Any integers.</param>
    public static (int[] Codes, int Count) Remap(ReadOnlySpan<int> labels)
    {
        var values = labels.ToArray();
        Array.Sort(values);
        int count = 0;
        for (int i = 0; i < values.Length; i++)
            if (i == 0 || values[i] != values[count - 1]) values[count++] = values[i];
        var codes = new int[labels.Length];
        if (count > 0 && values[0] == 0 && values[count - 1] == count - 1)
            labels.CopyTo(codes);
        else
            for (int i = 0; i < labels.Length; i++) codes[i] = Array.BinarySearch(values, 0, count, labels[i]);
        return (codes, count);
    }

    /// <summary>The labels renumbered 0..count−1 (increasing value order), and count.</summary>
    /// <param name="labels">Any integers.</param>
    public static (int[] Codes, int Count) Remap(IReadOnlyList<int> labels)
        => Remap(labels is int[] array ? array : labels.ToArray());
}

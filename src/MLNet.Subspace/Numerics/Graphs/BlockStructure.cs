namespace MLNet.Subspace.Numerics.Graphs;

/// <summary>
/// Finds the contiguous diagonal blocks of an L x L similarity matrix (for example the SSC-CKA
/// matrix between layers) that maximise modularity, by exact dynamic programming.
/// </summary>
/// <remarks>
/// <para>Objective: read S (negative entries clipped to 0, diagonal ignored) as a weighted graph on the
/// L layers and score a partition into contiguous blocks B_1..B_K by Newman's modularity
/// Q = sum_k [ w(B_k) / W - gamma (d(B_k) / W)^2 ], where w(B) is the summed similarity of ordered
/// pairs inside B, d(B) the summed degree of B and W the total. Q is a sum over blocks, so the best
/// contiguous partition is found exactly by DP over the end of the last block:
/// F(j) = max_{i &lt;= j} F(i-1) + q(i..j), with q from 2-D prefix sums: O(L^2) time, O(L^2) memory.</para>
/// <para>Choosing the number of blocks: no K is given; the null-model term gamma (d/W)^2 is the
/// penalty (a block helps only when its internal similarity beats what its degrees predict), so K is
/// the one that maximises Q. One block always scores 0, hence the score is &gt;= 0; a uniform matrix
/// scores ~0 and L/K equal blocks of similarity 1 with 0 between score 1 - 1/K.</para>
/// </remarks>
public static class BlockStructure
{
    /// <summary>Finds the blocks and the score.</summary>
    /// <param name="similarity">L x L symmetric similarity (NaN entries are treated as 0).</param>
    /// <param name="resolution">The resolution gamma: above 1 favours more, smaller blocks.</param>
    /// <returns>The blocks, their count, and the score.</returns>
    public static BlockStructureResult Find(double[,] similarity, double resolution = 1.0)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        int l = similarity.GetLength(0);
        if (l == 0 || similarity.GetLength(1) != l)
            throw new ArgumentException($"The similarity matrix must be square and non-empty. Got {similarity.GetLength(0)}x{similarity.GetLength(1)} instead.", nameof(similarity));
        // w[i, j] clipped, zero diagonal; P = 2-D prefix sums; degree prefix sums D.
        var prefix = new double[l + 1, l + 1];
        var degreePrefix = new double[l + 1];
        for (int i = 0; i < l; i++)
        {
            double degree = 0;
            for (int j = 0; j < l; j++)
            {
                double w = Weight(similarity, i, j);
                degree += w;
                prefix[i + 1, j + 1] = w + prefix[i, j + 1] + prefix[i + 1, j] - prefix[i, j];
            }
            degreePrefix[i + 1] = degreePrefix[i] + degree;
        }
        double total = degreePrefix[l];
        if (total <= 0)
            return new BlockStructureResult([new SimilarityBlock(0, l - 1, MeanInside(similarity, 0, l - 1))], 0, MeanInside(similarity, 0, l - 1), double.NaN);
        double Q(int i, int j) // block i..j inclusive
        {
            double inside = prefix[j + 1, j + 1] - prefix[i, j + 1] - prefix[j + 1, i] + prefix[i, i];
            double degree = degreePrefix[j + 1] - degreePrefix[i];
            return inside / total - resolution * (degree / total) * (degree / total);
        }
        var best = new double[l + 1];
        var start = new int[l + 1];
        for (int j = 1; j <= l; j++)
        {
            best[j] = double.NegativeInfinity;
            for (int i = 1; i <= j; i++)
            {
                double candidate = best[i - 1] + Q(i - 1, j - 1);
                if (candidate > best[j] + 1e-15) { best[j] = candidate; start[j] = i - 1; }
            }
        }
        var blocks = new List<SimilarityBlock>();
        for (int end = l; end > 0; end = start[end])
            blocks.Add(new SimilarityBlock(start[end], end - 1, MeanInside(similarity, start[end], end - 1)));
        blocks.Reverse();
        var (within, between) = Means(similarity, blocks);
        // One block scores 0 by definition; the prefix-sum arithmetic leaves +-1e-16 there.
        return new BlockStructureResult(blocks, blocks.Count == 1 ? 0 : best[l], within, between);
    }

    private static double Weight(double[,] s, int i, int j) => i == j || !(s[i, j] > 0) ? 0 : s[i, j];

    internal static double MeanInside(double[,] s, int first, int last)
    {
        double sum = 0;
        int count = 0;
        for (int i = first; i <= last; i++)
            for (int j = first; j <= last; j++)
                if (i != j && !double.IsNaN(s[i, j])) { sum += s[i, j]; count++; }
        return count == 0 ? double.NaN : sum / count;
    }

    internal static (double Within, double Between) Means(double[,] s, IReadOnlyList<SimilarityBlock> blocks)
    {
        int l = s.GetLength(0);
        var block = new int[l];
        for (int b = 0; b < blocks.Count; b++)
            for (int i = blocks[b].Start; i <= blocks[b].End; i++) block[i] = b;
        double within = 0, between = 0;
        int nw = 0, nb = 0;
        for (int i = 0; i < l; i++)
            for (int j = 0; j < l; j++)
            {
                if (i == j || double.IsNaN(s[i, j])) continue;
                if (block[i] == block[j]) { within += s[i, j]; nw++; }
                else { between += s[i, j]; nb++; }
            }
        return (nw == 0 ? double.NaN : within / nw, nb == 0 ? double.NaN : between / nb);
    }
}

namespace MLNet.Subspace.Numerics.Graphs;

/// <summary>
/// Cuts an L x L similarity matrix (for example the SSC-CKA matrix between layers) into contiguous blocks of layers, for every
/// number of blocks K up to a cap, chooses K by the gap statistic against shuffled layer orders, and tests the result.
/// </summary>
/// <remarks>
/// <para>Score: each layer i is its similarity profile, row s_i of the matrix (NaN read as 0). A block of the heatmap is a run of
/// layers whose rows look alike (the square on the diagonal and the same stripes off it), so the cost of a partition is the
/// within-block sum of squares of the rows around their block's mean row, SSE(K), and the score of K blocks is the share of the
/// total explained, R(K) = 1 - SSE(K) / SSE(1), in [0, 1]. SSE is a sum over blocks, so the best contiguous partition into exactly K
/// blocks is found exactly by dynamic programming over the end of the last block,
/// F(k, j) = min over i of F(k-1, i) + cost(i..j-1), the block costs from prefix sums of the rows.</para>
/// <para>Null: the same matrix with its layers in a random order (rows and columns permuted together), P times (seeded). A random
/// order keeps every similarity value but breaks any link between similarity and position, so R(K) there is what the search over
/// partitions finds by chance. Per K: the p-value (1 + #{R_null(K) &gt;= R(K)}) / (1 + P), and the gap R(K) - mean R_null(K).</para>
/// <para>Choosing K: the gap statistic's rule (Tibshirani, Walther and Hastie 2001): the smallest K with
/// Gap(K) &gt;= Gap(K+1) - s(K+1), s = sd of R_null times sqrt(1 + 1/P). The structure's p-value corrects for that choice by max-T:
/// T = max over K &gt;= 2 of (R(K) - mean) / sd, compared with T of every shuffled order. When it is not below the significance
/// level the result is one block ("no block structure").</para>
/// <para>What the test detects: any dependence of similarity on layer position that contiguous blocks capture, including a smooth
/// decay of similarity with distance along the network; the per-K scores and gaps tell crisp blocks (a jump to R near 1 at one K)
/// from a smooth band (R rising steadily with K).</para>
/// <para>Cost: O(L^3 + K L^2) time per matrix (the L^2 / 2 block costs in O(L) each, then the DP), times P + 1; O(L^2 + K L) memory.
/// L = 53, K = 8, P = 999: about 3e8 operations, well under a second.</para>
/// </remarks>
public static class BlockSegmentation
{
    private const double Tolerance = 1e-12;

    /// <summary>Segments the matrix for every K, chooses K and tests it.</summary>
    /// <param name="similarity">L x L similarity matrix (NaN entries are read as 0).</param>
    /// <param name="options">Cap on K, permutations, seed and significance level; default <see cref="BlockSegmentationOptions.Defaults"/>.</param>
    /// <returns>Per-K rows, the chosen blocks and the p-value.</returns>
    public static BlockSegmentationResult Find(double[,] similarity, BlockSegmentationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        options ??= new BlockSegmentationOptions();
        options.Validate();
        int l = similarity.GetLength(0);
        if (l == 0 || similarity.GetLength(1) != l)
            throw new ArgumentException($"The similarity matrix must be square and non-empty. Got {similarity.GetLength(0)}x{similarity.GetLength(1)} instead.", nameof(similarity));
        int maxBlocks = Math.Min(options.MaxBlocks, l);
        var profiles = new double[l, l];
        for (int i = 0; i < l; i++)
            for (int j = 0; j < l; j++) profiles[i, j] = double.IsNaN(similarity[i, j]) ? 0 : similarity[i, j];

        var starts = new int[maxBlocks + 1, l + 1];
        double[] observed = Scores(profiles, maxBlocks, starts);
        var nulls = new double[options.Permutations][];
        var rng = new Random(options.Seed);
        var order = Enumerable.Range(0, l).ToArray();
        var shuffled = new double[l, l];
        for (int p = 0; p < options.Permutations; p++)
        {
            for (int i = l - 1; i > 0; i--) { int k = rng.Next(i + 1); (order[i], order[k]) = (order[k], order[i]); }
            for (int i = 0; i < l; i++)
                for (int j = 0; j < l; j++) shuffled[i, j] = profiles[order[i], order[j]];
            nulls[p] = Scores(shuffled, maxBlocks, null);
        }

        var rows = new List<BlockCountRow>(maxBlocks);
        var sd = new double[maxBlocks + 1];
        for (int k = 1; k <= maxBlocks; k++)
        {
            double mean = nulls.Average(n => n[k]);
            sd[k] = Math.Sqrt(nulls.Sum(n => (n[k] - mean) * (n[k] - mean)) / options.Permutations);
            int atLeast = nulls.Count(n => n[k] >= observed[k] - Tolerance);
            rows.Add(new BlockCountRow(k, observed[k], mean, sd[k] * Math.Sqrt(1 + 1.0 / options.Permutations), observed[k] - mean,
                (1.0 + atLeast) / (1.0 + options.Permutations), Backtrack(starts, k, l)));
        }
        int gapCount = maxBlocks;
        for (int k = 1; k < maxBlocks; k++)
            if (rows[k - 1].Gap >= rows[k].Gap - rows[k].NullStandardError) { gapCount = k; break; }

        double pValue = MaxTPValue(observed, nulls, rows, sd);
        var chosen = pValue < options.Significance ? rows[gapCount - 1] : rows[0];
        var blocks = new List<SimilarityBlock>(chosen.Blocks);
        for (int b = 0; b < chosen.Blocks; b++)
        {
            int first = chosen.Starts[b], last = b + 1 < chosen.Blocks ? chosen.Starts[b + 1] - 1 : l - 1;
            blocks.Add(new SimilarityBlock(first, last, BlockStructure.MeanInside(similarity, first, last)));
        }
        var (within, between) = BlockStructure.Means(similarity, blocks);
        return new BlockSegmentationResult(rows, gapCount, pValue, blocks, chosen.Score, within, between);
    }

    /// <summary>R(k) for k = 1..maxBlocks (index 0 unused); fills <paramref name="starts"/> with each DP cell's last-block start when given.</summary>
    private static double[] Scores(double[,] profiles, int maxBlocks, int[,]? starts)
    {
        int l = profiles.GetLength(0);
        // Row prefix sums: sum of rows a..b-1 = rowPrefix[b] - rowPrefix[a]; the same for the squared norms.
        var rowPrefix = new double[l + 1, l];
        var normPrefix = new double[l + 1];
        for (int i = 0; i < l; i++)
        {
            double norm = 0;
            for (int c = 0; c < l; c++)
            {
                rowPrefix[i + 1, c] = rowPrefix[i, c] + profiles[i, c];
                norm += profiles[i, c] * profiles[i, c];
            }
            normPrefix[i + 1] = normPrefix[i] + norm;
        }
        var cost = new double[l, l + 1]; // cost[a, b]: rows a..b-1 around their mean
        for (int a = 0; a < l; a++)
            for (int b = a + 1; b <= l; b++)
            {
                double sumSquares = 0;
                for (int c = 0; c < l; c++)
                {
                    double s = rowPrefix[b, c] - rowPrefix[a, c];
                    sumSquares += s * s;
                }
                cost[a, b] = Math.Max(0, normPrefix[b] - normPrefix[a] - sumSquares / (b - a));
            }
        var best = new double[maxBlocks + 1, l + 1];
        for (int k = 0; k <= maxBlocks; k++)
            for (int j = 0; j <= l; j++) best[k, j] = double.PositiveInfinity;
        best[0, 0] = 0;
        for (int k = 1; k <= maxBlocks; k++)
            for (int j = k; j <= l; j++)
                for (int i = k - 1; i < j; i++)
                {
                    double candidate = best[k - 1, i] + cost[i, j];
                    if (double.IsPositiveInfinity(best[k, j]) || candidate < best[k, j] - Tolerance * (1 + best[k, j]))
                    {
                        best[k, j] = candidate;
                        if (starts is not null) starts[k, j] = i;
                    }
                }
        double total = best[1, l];
        var scores = new double[maxBlocks + 1];
        // A matrix whose rows are all alike has nothing to explain: every K scores 0.
        for (int k = 1; k <= maxBlocks; k++) scores[k] = total > Tolerance ? Math.Clamp(1 - best[k, l] / total, 0, 1) : 0;
        return scores;
    }

    private static int[] Backtrack(int[,] starts, int blocks, int l)
    {
        var result = new int[blocks];
        for (int k = blocks, end = l; k >= 1; end = starts[k, end], k--) result[k - 1] = starts[k, end];
        return result;
    }

    /// <summary>Max-T p-value over K &gt;= 2 with a spread in the null: corrects for picking K after looking; 1 when no K can be tested.</summary>
    private static double MaxTPValue(double[] observed, double[][] nulls, List<BlockCountRow> rows, double[] sd)
    {
        var tested = rows.Where(r => r.Blocks >= 2 && sd[r.Blocks] > Tolerance).ToList();
        if (tested.Count == 0) return 1;
        double T(double[] scores) => tested.Max(r => (scores[r.Blocks] - r.NullMean) / sd[r.Blocks]);
        double t = T(observed);
        return (1.0 + nulls.Count(n => T(n) >= t - Tolerance)) / (1.0 + nulls.Length);
    }
}

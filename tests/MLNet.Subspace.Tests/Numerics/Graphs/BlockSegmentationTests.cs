using MLNet.Subspace.Numerics.Graphs;

namespace MLNet.Subspace.Tests.Numerics.Graphs;

public class BlockSegmentationTests
{
    private static readonly BlockSegmentationOptions Fast = new() { Permutations = 199 };

    /// <summary>Within-block similarity <paramref name="within"/>, between <paramref name="between"/>, symmetric Gaussian noise of sd <paramref name="noise"/>, unit diagonal.</summary>
    private static double[,] Planted(int[] sizes, double within, double between, double noise, int seed)
    {
        int l = sizes.Sum();
        var block = sizes.SelectMany((size, b) => Enumerable.Repeat(b, size)).ToArray();
        var rng = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var s = new double[l, l];
        for (int i = 0; i < l; i++)
        {
            s[i, i] = 1;
            for (int j = 0; j < i; j++) s[i, j] = s[j, i] = (block[i] == block[j] ? within : between) + noise * Gaussian();
        }
        return s;
    }

    private static int[] Starts(BlockSegmentationResult r) => r.Blocks.Select(b => b.Start).ToArray();

    [Fact]
    public void Recovers_Planted_Boundaries_At_Low_Noise_With_The_Smallest_P_Value()
    {
        // Given four blocks of 5, 4, 6 and 5 layers, similarity 0.8 inside and 0.3 between, noise sd 0.05
        var s = Planted([5, 4, 6, 5], 0.8, 0.3, 0.05, seed: 3);

        var found = BlockSegmentation.Find(s, Fast);

        Assert.Equal([0, 5, 9, 15], Starts(found));
        Assert.Equal(4, found.GapCount);
        Assert.Equal(1.0 / 200, found.PValue, 12);        // no shuffled order comes near
        Assert.True(found.Score > 0.9, $"score {found.Score}");
        Assert.Equal(found.Counts[3].Score, found.Score);
        Assert.True(found.WithinMean > 0.75 && found.BetweenMean < 0.35, $"{found.WithinMean} / {found.BetweenMean}");
        Assert.Equal([0, 5, 9, 15], found.Counts[3].Starts);
        Assert.Equal(1.0 / 200, found.Counts[3].PValue, 12);
        Assert.Same(found.Counts.MaxBy(r => r.Gap), found.MaximumGap);
        Assert.Equal(4, found.MaximumGap.Blocks);        // planted crisply: both readings agree
    }

    [Theory]
    [InlineData(0.10, 0)]   // contrast 0.5 against noise 0.1: exact
    [InlineData(0.20, 1)]   // noise 0.2: every boundary within one layer
    public void Boundaries_Degrade_Gracefully_With_Noise(double noise, int slack)
    {
        int[] truth = [0, 6, 12, 18];
        for (int seed = 1; seed <= 5; seed++)
        {
            var found = BlockSegmentation.Find(Planted([6, 6, 6, 6], 0.8, 0.3, noise, seed), Fast);

            Assert.True(found.PValue < 0.05, $"seed {seed}: p = {found.PValue}");
            Assert.Equal(4, found.Count);
            Assert.All(Starts(found).Zip(truth), p => Assert.InRange(p.First, p.Second - slack, p.Second + slack));
        }
    }

    [Fact]
    public void Noise_Only_Matrices_Show_No_Block_Structure_And_Their_P_Values_Are_Calibrated()
    {
        // Given 40 matrices of pure noise around 0.5 (no dependence on layer position)
        var p = Enumerable.Range(1, 40).Select(seed => BlockSegmentation.Find(Planted([16], 0.5, 0.5, 0.1, seed), Fast)).ToList();

        // Then a uniform p-value: few below 0.05 (expected 2 of 40; 6 or more has probability < 0.05) and a median near 0.5
        Assert.True(p.Count(r => r.PValue < 0.05) <= 5, string.Join(" ", p.Select(r => r.PValue)));
        var sorted = p.Select(r => r.PValue).Order().ToArray();
        Assert.InRange(sorted[19], 0.25, 0.75);
        // and a non-significant result is reported as one block, whatever the gap rule picked
        Assert.All(p.Where(r => r.PValue >= 0.05), r => { Assert.Equal(1, r.Count); Assert.Equal(0.0, r.Score); });
        var first = p[0];
        Assert.True(first.PValue >= 0.05, $"p = {first.PValue}");
    }

    [Fact]
    public void Dynamic_Programme_Matches_Brute_Force_Over_All_Segmentations()
    {
        // Given small matrices: a noisy block one and a pure-noise one, L = 9 (2^8 = 256 segmentations)
        foreach (var s in new[] { Planted([3, 4, 2], 0.7, 0.2, 0.15, seed: 5), Planted([9], 0.5, 0.5, 0.2, seed: 6) })
        {
            int l = s.GetLength(0);
            var found = BlockSegmentation.Find(s, new BlockSegmentationOptions { MaxBlocks = l, Permutations = 9 });

            // Then for every K the DP's score and boundaries are the best of all segmentations into K blocks,
            // with the cost computed directly: each block's mean row, then squared deviations
            var best = new double[l + 1];
            var bestStarts = new int[l + 1][];
            Array.Fill(best, double.PositiveInfinity);
            for (int mask = 0; mask < 1 << (l - 1); mask++)
            {
                var starts = new List<int> { 0 };
                for (int i = 1; i < l; i++) if ((mask >> (i - 1) & 1) == 1) starts.Add(i);
                double cost = 0;
                for (int b = 0; b < starts.Count; b++)
                {
                    int first = starts[b], end = b + 1 < starts.Count ? starts[b + 1] : l;
                    for (int c = 0; c < l; c++)
                    {
                        double mean = 0;
                        for (int i = first; i < end; i++) mean += s[i, c];
                        mean /= end - first;
                        for (int i = first; i < end; i++) cost += (s[i, c] - mean) * (s[i, c] - mean);
                    }
                }
                if (cost < best[starts.Count]) { best[starts.Count] = cost; bestStarts[starts.Count] = starts.ToArray(); }
            }
            Assert.Equal(l, found.Counts.Count);
            for (int k = 1; k <= l; k++)
            {
                Assert.Equal(1 - best[k] / best[1], found.Counts[k - 1].Score, 10);
                Assert.Equal(bestStarts[k], found.Counts[k - 1].Starts);
            }
        }
    }

    [Fact]
    public void Same_Seed_Gives_The_Same_Null_And_Another_Seed_Another()
    {
        var s = Planted([4, 4, 4], 0.6, 0.4, 0.15, seed: 8);

        var a = BlockSegmentation.Find(s, Fast);
        var b = BlockSegmentation.Find(s, Fast);
        var c = BlockSegmentation.Find(s, Fast with { Seed = 2 });

        Assert.Equal(a.Counts.Select(r => (r.NullMean, r.NullStandardError, r.PValue)), b.Counts.Select(r => (r.NullMean, r.NullStandardError, r.PValue)));
        Assert.Equal(a.PValue, b.PValue);
        Assert.NotEqual(a.Counts[2].NullMean, c.Counts[2].NullMean);
        Assert.Equal(a.Counts.Select(r => r.Score), c.Counts.Select(r => r.Score)); // the observed scores do not depend on the seed
    }

    [Fact]
    public void Gap_Rule_Picks_The_Smallest_K_Within_One_Standard_Error_Of_The_Next()
    {
        var found = BlockSegmentation.Find(Planted([5, 5, 5], 0.8, 0.3, 0.1, seed: 4), Fast);

        // Then GapCount is the smallest K with Gap(K) >= Gap(K+1) - s(K+1), recomputed from the rows
        var rows = found.Counts;
        int expected = Enumerable.Range(1, rows.Count - 1).First(k => rows[k - 1].Gap >= rows[k].Gap - rows[k].NullStandardError);
        Assert.Equal(expected, found.GapCount);
        Assert.Equal(3, found.GapCount);
        Assert.All(rows, r => Assert.Equal(r.Score - r.NullMean, r.Gap, 12));
        Assert.Equal(0.0, rows[0].Score);
    }

    [Fact]
    public void A_Smooth_Band_Is_Structure_By_Position_But_Its_Score_Rises_Without_A_Jump()
    {
        // Given similarity decaying smoothly with distance along 20 layers (no blocks at all)
        var s = new double[20, 20];
        for (int i = 0; i < 20; i++) for (int j = 0; j < 20; j++) s[i, j] = Math.Exp(-Math.Abs(i - j) / 5.0);

        var found = BlockSegmentation.Find(s, Fast);

        // Then the test rejects (similarity depends on position), but no K explains most of it at once:
        // each extra block adds less than the first split did, unlike planted blocks (a jump to R near 1).
        Assert.True(found.PValue < 0.05, $"p = {found.PValue}");
        var r = found.Counts.Select(c => c.Score).ToArray();
        var steps = r.Zip(r.Skip(1), (a, b) => b - a).ToArray();
        Assert.All(steps, d => Assert.InRange(d, 0, steps[0] + 1e-12));
        Assert.True(r[3] < 0.9, $"R(4) = {r[3]}");
    }

    [Fact]
    public void Constant_And_Tiny_Matrices_Are_One_Block_With_P_One()
    {
        var constant = new double[5, 5];
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) constant[i, j] = 0.6;
        var two = new double[,] { { 1, 0.2 }, { 0.2, 1 } };
        var one = new double[,] { { 1 } };

        foreach (var s in new[] { constant, two, one })
        {
            var found = BlockSegmentation.Find(s, Fast);
            Assert.Equal(1, found.Count);
            Assert.Equal(1.0, found.PValue);
            Assert.Equal(0.0, found.Score);
            Assert.Equal(Math.Min(s.GetLength(0), BlockSegmentationOptions.Defaults.MaxBlocks), found.Counts.Count);
        }
    }

    [Theory]
    [InlineData(0, 10, 0.05, "MaxBlocks")]
    [InlineData(4, 0, 0.05, "Permutations")]
    [InlineData(4, 10, 1.0, "Significance")]
    [InlineData(4, 10, 0.0, "Significance")]
    public void Out_Of_Range_Options_Are_Named(int maxBlocks, int permutations, double significance, string name)
    {
        var options = new BlockSegmentationOptions { MaxBlocks = maxBlocks, Permutations = permutations, Significance = significance };

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => BlockSegmentation.Find(new double[3, 3], options));

        Assert.Equal(name, e.ParamName);
        Assert.Contains($"'{name}'", e.Message);
    }

    [Fact]
    public void Non_Square_Matrix_Is_Refused()
    {
        var e = Assert.Throws<ArgumentException>(() => BlockSegmentation.Find(new double[2, 3]));
        Assert.Contains("2x3", e.Message);
    }
}

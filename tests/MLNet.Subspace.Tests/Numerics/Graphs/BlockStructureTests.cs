using MLNet.Subspace.Numerics.Graphs;

namespace MLNet.Subspace.Tests.Numerics.Graphs;

public class BlockStructureTests
{
    private static double[,] Blocks(params int[] sizes)
    {
        int l = sizes.Sum();
        var s = new double[l, l];
        int start = 0;
        foreach (int size in sizes)
        {
            for (int i = start; i < start + size; i++)
                for (int j = start; j < start + size; j++) s[i, j] = 1;
            start += size;
        }
        return s;
    }

    [Fact]
    public void Finds_Planted_Blocks_With_Score_One_Minus_One_Over_K()
    {
        // Given three equal blocks of similarity 1 and 0 between them
        var s = Blocks(4, 4, 4);

        var found = BlockStructure.Find(s);

        Assert.Equal(3, found.Count);
        Assert.Equal([(0, 3), (4, 7), (8, 11)], found.Blocks.Select(b => (b.Start, b.End)));
        Assert.Equal(1 - 1.0 / 3, found.Score, 12);
        Assert.Equal(1.0, found.WithinMean);
        Assert.Equal(0.0, found.BetweenMean);
    }

    [Fact]
    public void Uniform_Matrix_Is_One_Block_With_Score_Zero()
    {
        var s = new double[6, 6];
        for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) s[i, j] = 0.7;

        var found = BlockStructure.Find(s);

        Assert.Equal(1, found.Count);
        Assert.Equal(0.0, found.Score, 12);
    }

    [Fact]
    public void Score_Matches_Modularity_Of_The_Found_Partition_And_Beats_Every_Contiguous_Split()
    {
        // Given a noisy block matrix (blocks 3, 5, 2)
        var rng = new Random(7);
        var s = Blocks(3, 5, 2);
        for (int i = 0; i < 10; i++)
            for (int j = 0; j <= i; j++) s[i, j] = s[j, i] = Math.Clamp(0.2 + 0.6 * s[i, j] + 0.1 * rng.NextDouble(), 0, 1);

        var found = BlockStructure.Find(s);

        // Then the DP optimum is at least as good as every one of the 2^9 contiguous partitions
        var graph = MLNet.Subspace.Numerics.SparseMatrix.FromDense(Enumerable.Range(0, 100).Select(k => k / 10 == k % 10 ? 0 : s[k / 10, k % 10]).ToArray(), 10, 10);
        double best = double.NegativeInfinity;
        for (int mask = 0; mask < 1 << 9; mask++)
        {
            var labels = new int[10];
            for (int i = 1; i < 10; i++) labels[i] = labels[i - 1] + ((mask >> (i - 1)) & 1);
            best = Math.Max(best, Modularity.Compute(graph, labels));
        }
        var foundLabels = new int[10];
        for (int b = 0; b < found.Count; b++) for (int i = found.Blocks[b].Start; i <= found.Blocks[b].End; i++) foundLabels[i] = b;
        Assert.Equal(best, found.Score, 12);
        Assert.Equal(Modularity.Compute(graph, foundLabels), found.Score, 12);
        Assert.Equal([(0, 2), (3, 7), (8, 9)], found.Blocks.Select(b => (b.Start, b.End)));
    }
}

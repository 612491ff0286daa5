using MLNet.Subspace.Data;

namespace MLNet.Subspace.Tests.Data;

public class ProbeSamplingTests
{
    private static readonly int[] Labels = Enumerable.Range(0, 300).Select(i => i % 3).ToArray();

    [Fact]
    public void Picks_The_Same_Number_From_Every_Class_Without_Repeats()
    {
        int[] picked = ProbeSampling.ClassBalanced(Labels, 3, 7, new Random(1));

        Assert.Equal(21, picked.Length);
        Assert.Equal(21, picked.Distinct().Count());
        Assert.Equal([7, 7, 7], picked.GroupBy(i => Labels[i]).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal(Enumerable.Repeat(0, 7).Concat(Enumerable.Repeat(1, 7)).Concat(Enumerable.Repeat(2, 7)), picked.Select(i => Labels[i]));
    }

    [Fact]
    public void Is_Deterministic_For_A_Seed_And_Varies_With_It()
    {
        Assert.Equal(ProbeSampling.ClassBalanced(Labels, 3, 5, new Random(9)), ProbeSampling.ClassBalanced(Labels, 3, 5, new Random(9)));
        Assert.NotEqual(ProbeSampling.ClassBalanced(Labels, 3, 5, new Random(9)), ProbeSampling.ClassBalanced(Labels, 3, 5, new Random(10)));
    }

    [Fact]
    public void A_Class_With_Too_Few_Inputs_Is_Named()
    {
        int[] labels = [0, 0, 0, 1, 2, 2, 2];

        var e = Assert.Throws<ArgumentException>(() => ProbeSampling.ClassBalanced(labels, 3, 2, new Random(1)));

        Assert.Contains("Class 1 has 1 input(s)", e.Message);
    }
}

using MLNet.Subspace.Analysis;

namespace MLNet.Subspace.Tests.Analysis;

public class SettlingAndRankTests
{
    [Theory]
    [InlineData(new[] { 0.2, 0.95, 0.85, 0.92, 1.0 }, 3)]   // dips below after epoch 1, so it settles at 3
    [InlineData(new[] { 0.91, 0.95, 0.97, 0.99, 1.0 }, 0)]
    [InlineData(new[] { 0.1, 0.2, 0.3, 0.4, 1.0 }, 4)]
    public void Settling_Epoch_Is_The_Start_Of_The_Final_Run_Above_Threshold(double[] similarity, int expected)
    {
        Assert.Equal(expected, Settling.Epoch([0, 1, 2, 3, 4], similarity, 0.9));
    }

    [Fact]
    public void NaN_Similarity_Does_Not_Count_As_Settled()
    {
        Assert.Equal(3, Settling.Epoch([1, 2, 3], [0.95, double.NaN, 1.0], 0.9));
    }

    [Fact]
    public void Spearman_Matches_Hand_Values()
    {
        // ranks x = 1..5, y ranks = 2,1,4,3,5: rho = 1 - 6*4/(5*24) = 0.8
        Assert.Equal(0.8, RankCorrelation.Spearman([1, 2, 3, 4, 5], [0.2, 0.1, 0.4, 0.3, 0.9]), 12);
        Assert.Equal(-1.0, RankCorrelation.Spearman([1, 2, 3], [3, 2, 1]), 12);
        // ties: y = (1, 1, 2) ranks (1.5, 1.5, 3), x ranks (1, 2, 3): Pearson = 0.8660254
        Assert.Equal(Math.Sqrt(3) / 2, RankCorrelation.Spearman([1, 2, 3], [1, 1, 2]), 12);
        Assert.True(double.IsNaN(RankCorrelation.Spearman([1, 2, 3], [4, 4, 4])));
    }
}

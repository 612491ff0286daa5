using MLNet.Subspace.Numerics.Synthetic;
using TorchSharp;

namespace MLNet.Subspace.Tests.Numerics.Synthetic;

public class UnionOfSubspacesTests
{
    [Fact]
    public void Points_Are_Unit_Norm_On_Subspaces_Of_The_Given_Dimension()
    {
        var (x, labels) = UnionOfSubspaces.Generate(ambient: 9, dimension: 3, subspaces: 4, perSubspace: 20, seed: 5);

        Assert.Equal(80, x.Rows);
        Assert.Equal(9, x.Columns);
        Assert.Equal(Enumerable.Range(0, 4).SelectMany(s => Enumerable.Repeat(s, 20)), labels);
        var t = torch.tensor(x.Values, [80, 9], torch.float64);
        Assert.All(t.norm(1).data<double>().ToArray(), v => Assert.Equal(1.0, v, 12));
        for (int s = 0; s < 4; s++)
            Assert.Equal(3, torch.linalg.matrix_rank(t[(s * 20)..((s + 1) * 20)]).item<long>());
    }

    [Fact]
    public void Same_Seed_Same_Data_Different_Seed_Different_Data()
    {
        var a = UnionOfSubspaces.Generate(seed: 1).X.Values;
        var b = UnionOfSubspaces.Generate(seed: 1).X.Values;
        var c = UnionOfSubspaces.Generate(seed: 2).X.Values;

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Bad_Dimensions_Are_Refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => UnionOfSubspaces.Generate(ambient: 3, dimension: 4));

        Assert.Contains("[1, 3]", e.Message);
    }
}

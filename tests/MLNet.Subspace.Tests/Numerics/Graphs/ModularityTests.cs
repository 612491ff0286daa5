using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Graphs;

namespace MLNet.Subspace.Tests.Numerics.Graphs;

public class ModularityTests
{
    [Theory]
    [MemberData(nameof(GraphFixtures.Names), MemberType = typeof(GraphFixtures))]
    public void Modularity_Equals_Networkx(string name)
    {
        var c = GraphFixtures.Get(name);

        double q = Modularity.Compute(c.Graph, c.Labels);

        Assert.Equal(c.Modularity, q, 1e-9);
    }

    [Fact]
    public void Two_Triangles_Joined_By_One_Edge_Match_Hand_Computation()
    {
        // Given two triangles {0,1,2}, {3,4,5} and the edge 2-3, unit weights: m = 7
        int[] r = [0, 1, 0, 2, 1, 2, 3, 4, 3, 5, 4, 5, 2, 3];
        int[] c = [1, 0, 2, 0, 2, 1, 4, 3, 5, 3, 5, 4, 3, 2];
        var g = SparseMatrix.FromTriplets(6, 6, r, c, Enumerable.Repeat(1.0, r.Length).ToArray());

        // Then Q = 2 * (3/7 - (7/14)^2) = 6/7 - 1/2
        Assert.Equal(6.0 / 7 - 0.5, Modularity.Compute(g, [0, 0, 0, 1, 1, 1]), 14);
        Assert.Equal(0.0, Modularity.Compute(g, [5, 5, 5, 5, 5, 5]), 14);
    }

    [Fact]
    public void Label_Count_Mismatch_And_Bad_Graphs_Are_Named()
    {
        var g = SparseMatrix.FromTriplets(3, 3, [0, 1], [1, 0], [1.0, 1.0]);

        Assert.Contains("Got 2 labels for a graph of 3 nodes", Assert.Throws<ArgumentException>(() => Modularity.Compute(g, [0, 1])).Message);
        Assert.Contains("symmetric", Assert.Throws<ArgumentException>(() => Modularity.Compute(SparseMatrix.FromTriplets(2, 2, [0], [1], [1.0]), [0, 1])).Message);
        Assert.Contains("non-negative", Assert.Throws<ArgumentException>(() => Modularity.Compute(SparseMatrix.FromTriplets(2, 2, [0, 1], [1, 0], [-1.0, -1.0]), [0, 1])).Message);
        Assert.Contains("no edges", Assert.Throws<ArgumentException>(() => Modularity.Compute(SparseMatrix.FromTriplets(2, 2, [], [], []), [0, 1])).Message);
    }
}

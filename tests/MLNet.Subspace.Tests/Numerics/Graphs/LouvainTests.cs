using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Graphs;

namespace MLNet.Subspace.Tests.Numerics.Graphs;

public class LouvainTests
{
    [Theory]
    [MemberData(nameof(GraphFixtures.Names), MemberType = typeof(GraphFixtures))]
    public void Louvain_Q_Is_Within_One_Percent_Of_Networkx(string name)
    {
        var c = GraphFixtures.Get(name);

        var found = Louvain.Detect(c.Graph, seed: 0);

        Assert.InRange(found.Modularity, c.LouvainModularity * 0.99, c.LouvainModularity * 1.01);
        Assert.Equal(Modularity.Compute(c.Graph, found.Communities), found.Modularity, 12);
    }

    [Fact]
    public void Same_Seed_Gives_Same_Communities()
    {
        var c = GraphFixtures.Get("g5");

        var first = Louvain.Detect(c.Graph, seed: 42);
        var second = Louvain.Detect(c.Graph, seed: 42);

        Assert.Equal(first.Communities, second.Communities);
    }

    [Fact]
    public void Finds_Two_Cliques_Joined_By_One_Edge()
    {
        // Given two 5-cliques joined by one edge
        var r = new List<int>(); var col = new List<int>();
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < 5; i++)
                for (int j = 0; j < 5; j++)
                    if (i != j) { r.Add(5 * b + i); col.Add(5 * b + j); }
        r.AddRange([4, 5]); col.AddRange([5, 4]);
        var g = SparseMatrix.FromTriplets(10, 10, r.ToArray(), col.ToArray(), Enumerable.Repeat(1.0, r.Count).ToArray());

        var found = Louvain.Detect(g, seed: 3);

        Assert.Equal(2, found.Count);
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], found.Communities);
    }
}

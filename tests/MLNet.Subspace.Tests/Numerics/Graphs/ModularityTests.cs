using CsCheck;
using MLNet.Subspace.Numerics;
using MLNet.Subspace.Tests.Numerics.Cka;
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
    public void Sparse_Modularity_Equals_Dense_Definition_On_Random_Graphs()
    {
        // Q = 1/(2m) sum_ij (A_ij - k_i k_j / 2m) delta(c_i, c_j) with A = W + diag(W), evaluated densely
        Gen.Select(Gen.Int[3, 40], Gen.Double[0.05, 0.6], Gen.Int[1, 6], Gen.Int[0, 1_000_000]).Sample((n, density, classes, seed) =>
        {
            var graph = RandomGraphs.Symmetric(n, density, seed, loops: seed % 2 == 0);
            if (graph.NonZeroCount == 0) return;
            var rng = new Random(seed);
            var labels = Enumerable.Range(0, n).Select(_ => rng.Next(classes)).ToArray();
            var w = graph.ToDenseArray();
            var a = new double[n, n];
            var k = new double[n];
            double twiceM = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) { a[i, j] = w[i * n + j] * (i == j ? 2 : 1); k[i] += a[i, j]; twiceM += a[i, j]; }
            double q = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    if (labels[i] == labels[j]) q += a[i, j] - k[i] * k[j] / twiceM;
            Assert.Equal(q / twiceM, Modularity.Compute(graph, labels), 12);
        }, iter: 100, threads: 1);
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
    public void Sparse_And_Negative_Labels_Give_The_Dense_Labels_Answer()
    {
        int[] r = [0, 1, 0, 2, 1, 2, 3, 4, 3, 5, 4, 5, 2, 3];
        int[] c = [1, 0, 2, 0, 2, 1, 4, 3, 5, 3, 5, 4, 3, 2];
        var g = SparseMatrix.FromTriplets(6, 6, r, c, Enumerable.Repeat(1.0, r.Length).ToArray());
        int[] dense = [0, 0, 1, 1, 2, 2];

        double expected = Modularity.Compute(g, dense);
        Assert.Equal(expected, Modularity.Compute(g, [-3, -3, 1_000_000, 1_000_000, 5000, 5000]), 14);
        Assert.Equal(expected, Modularity.Compute(g, [int.MaxValue, int.MaxValue, int.MinValue, int.MinValue, 0, 0]), 14);
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

using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Graphs;

namespace MLNet.Subspace.Tests.Numerics.Graphs;

/// <summary>Every graph analytic applies the same checks with the same symmetry tolerance.</summary>
public class GraphChecksTests
{
    /// <summary>A 3-node path graph whose (1, 2) weight is off from its mirror by <paramref name="relative"/> of the largest weight.</summary>
    private static SparseMatrix Path(double relative) => SparseMatrix.FromTriplets(3, 3, [0, 1, 1, 2], [1, 0, 2, 1], [1.0, 1.0, 0.5, 0.5 + relative]);

    private static IEnumerable<Action<SparseMatrix>> Consumers() =>
    [
        g => AffinityGraph.FromWeights(g),
        g => Modularity.Compute(g, [0, 0, 1]),
        g => Louvain.Detect(g),
        g => CkaMatrix.FromGraphs([g, g], names: ["a", "b"]),
    ];

    [Fact]
    public void Rounding_Is_Accepted_And_A_Real_Asymmetry_Refused_By_Every_Consumer()
    {
        foreach (var consume in Consumers())
        {
            consume(Path(1e-13)); // text round-trip noise
            var e = Assert.Throws<ArgumentException>(() => consume(Path(1e-6)));
            Assert.Contains("must be symmetric", e.Message);
            Assert.Contains("W[2, 3] = 0.5 but W[3, 2] = 0.500001", e.Message); // counted from 1
        }
    }

    [Fact]
    public void A_Bad_Weight_Is_Named_By_Row_And_Column()
    {
        var graph = SparseMatrix.FromTriplets(3, 3, [0, 1, 1, 2], [1, 0, 2, 1], [1.0, 1.0, -2.0, -2.0]);

        var e = Assert.Throws<ArgumentException>(() => Modularity.Compute(graph, [0, 0, 1]));

        Assert.Contains("row 2, column 3 (counted from 1): expected a finite non-negative weight, found -2", e.Message);
        // A CKA kernel may be negative, but not infinite.
        CkaMatrix.FromGraphs([graph, graph], names: ["a", "b"]);
        var inf = SparseMatrix.FromTriplets(3, 3, [0, 1], [1, 0], [double.PositiveInfinity, double.PositiveInfinity]);
        Assert.Contains("expected a finite weight", Assert.Throws<ArgumentException>(() => CkaMatrix.FromGraphs([inf, inf], names: ["a", "b"])).Message);
    }
}

using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Metrics;
using MLNet.Subspace.Numerics.Spectral;

namespace MLNet.Subspace.Tests.Numerics.Spectral;

public class SpectralTests
{
    /// <summary>k dense random blocks of the given size, joined by a few weak edges.</summary>
    private static (SparseMatrix W, int[] Labels) Blocks(int k, int size, int seed, double bridge = 0.01)
    {
        var rng = new Random(seed);
        int n = k * size;
        var r = new List<int>(); var c = new List<int>(); var v = new List<double>();
        void Edge(int i, int j, double w) { r.Add(i); c.Add(j); v.Add(w); r.Add(j); c.Add(i); v.Add(w); }
        for (int b = 0; b < k; b++)
            for (int i = 0; i < size; i++)
                for (int j = i + 1; j < size; j++)
                    if (rng.NextDouble() < 0.3) Edge(b * size + i, b * size + j, 0.5 + rng.NextDouble());
        for (int b = 0; b + 1 < k; b++) Edge(b * size, (b + 1) * size + 1, bridge);
        return (SparseMatrix.FromTriplets(n, n, r.ToArray(), c.ToArray(), v.ToArray()), Enumerable.Range(0, n).Select(i => i / size).ToArray());
    }

    [Fact]
    public void Block_Krylov_And_Dense_Eigensolvers_Agree()
    {
        var (w, _) = Blocks(4, 60, seed: 1);

        var dense = SymmetricEigensolver.LargestOfNormalizedAdjacency(w, 6, dense: true);
        var krylov = SymmetricEigensolver.LargestOfNormalizedAdjacency(w, 6, seed: 3, dense: false);

        for (int i = 0; i < 6; i++) Assert.Equal(dense.Values[i], krylov.Values[i], 7);
        Assert.Equal(1.0, dense.Values[0], 9); // the normalised adjacency's top eigenvalue
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Clustering_Recovers_Planted_Blocks(bool dense)
    {
        var (w, labels) = Blocks(5, 50, seed: 2);

        var predicted = SpectralClustering.Cluster(w, 5, seed: 0, dense: dense);

        Assert.Equal(1.0, ClusteringMetrics.AdjustedRandIndex(labels, predicted));
    }

    [Fact]
    public void Clustering_Is_Deterministic_For_A_Seed()
    {
        var (w, _) = Blocks(3, 40, seed: 4, bridge: 0.5);

        var first = SpectralClustering.Cluster(w, 3, seed: 9);

        Assert.Equal(first, SpectralClustering.Cluster(w, 3, seed: 9));
        Assert.Equal(3, first.Distinct().Count()); // a real 3-way split, not a constant answer that repeats trivially
    }

    [Fact]
    public void KMeans_Separates_Far_Blobs_And_Reports_Inertia()
    {
        // Given two pairs of points at (0,0),(0,1) and (10,0),(10,1)
        var (labels, inertia) = KMeans.Fit([0, 0, 0, 1, 10, 0, 10, 1], 2, 2, seed: 1);

        Assert.Equal(labels[0], labels[1]);
        Assert.Equal(labels[2], labels[3]);
        Assert.NotEqual(labels[0], labels[2]);
        Assert.Equal(1.0, inertia, 12); // four points each 0.5 from their centre: 4 * 0.25
    }

    [Fact]
    public void Embedding_2D_Has_Two_Coordinates_Per_Node_And_Separates_Blocks()
    {
        var (w, labels) = Blocks(2, 40, seed: 5);

        var xy = SpectralClustering.Embed2D(w);

        Assert.Equal(160, xy.Length);
        // The Fiedler coordinate has opposite signs on the two blocks.
        var first = Enumerable.Range(0, 40).Select(i => Math.Sign(xy[2 * i])).Distinct().ToArray();
        var second = Enumerable.Range(40, 40).Select(i => Math.Sign(xy[2 * i])).Distinct().ToArray();
        Assert.Single(first);
        Assert.Single(second);
        Assert.NotEqual(first[0], second[0]);
    }

    [Fact]
    public void Isolated_Nodes_Do_Not_Produce_NaN()
    {
        var w = SparseMatrix.FromTriplets(5, 5, [0, 1, 2, 3], [1, 0, 3, 2], [1.0, 1.0, 1.0, 1.0]); // node 4 isolated

        var embedding = SpectralClustering.Embed(w, 2);

        Assert.All(embedding, v => Assert.True(double.IsFinite(v)));
    }
}

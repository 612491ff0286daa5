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

    /// <summary>An SSC-like sparse graph: each node links to <paramref name="degree"/> random nodes, 90 % of them in its own cluster (i mod k).</summary>
    private static (SparseMatrix W, int[] Labels) Sparse(int n, int k, int degree, int seed)
    {
        var rng = new Random(seed);
        var r = new List<int>(); var c = new List<int>(); var v = new List<double>();
        for (int i = 0; i < n; i++)
            for (int t = 0; t < degree; t++)
            {
                int j = rng.NextDouble() < 0.9 ? (rng.Next(n / k) * k + i % k) % n : rng.Next(n);
                if (j == i) continue;
                double w = 0.1 + rng.NextDouble();
                r.Add(i); c.Add(j); v.Add(w); r.Add(j); c.Add(i); v.Add(w);
            }
        return (SparseMatrix.FromTriplets(n, n, r.ToArray(), c.ToArray(), v.ToArray()), Enumerable.Range(0, n).Select(i => i % k).ToArray());
    }

    [Theory]
    [InlineData(450, 1)] // just above the dense limit: the default route changed from dense to iterative here
    [InlineData(900, 2)]
    public void Iterative_Route_Gives_The_Dense_Eigenvalues_To_1e10_And_The_Same_Labels(int n, int seed)
    {
        var (w, _) = Sparse(n, 10, 8, seed);

        var dense = SymmetricEigensolver.LargestOfNormalizedAdjacency(w, 10, dense: true);
        var krylov = SymmetricEigensolver.LargestOfNormalizedAdjacency(w, 10, seed: 5);

        Assert.True(n > SpectralClustering.DenseLimit);
        for (int i = 0; i < 10; i++) Assert.True(Math.Abs(dense.Values[i] - krylov.Values[i]) <= 1e-10, $"eigenvalue {i}: {dense.Values[i]} vs {krylov.Values[i]}");
        Assert.Equal(SpectralClustering.Cluster(w, 10, seed: 3, dense: true), SpectralClustering.Cluster(w, 10, seed: 3));
    }

    [Fact]
    public void Iterative_Eigenvectors_Span_The_Dense_Eigenspace()
    {
        // Given a graph with a clear gap after the 10th eigenvalue, the two routes' eigenvectors span the same space: V_d^T V_k is orthogonal.
        var (w, _) = Sparse(600, 10, 8, 4);
        var dense = SymmetricEigensolver.LargestOfNormalizedAdjacency(w, 10, dense: true).Vectors;
        var krylov = SymmetricEigensolver.LargestOfNormalizedAdjacency(w, 10, dense: false).Vectors;

        for (int a = 0; a < 10; a++)
        {
            double norm = 0;
            for (int b = 0; b < 10; b++)
            {
                double dot = 0;
                for (int i = 0; i < 600; i++) dot += dense[i * 10 + a] * krylov[i * 10 + b];
                norm += dot * dot;
            }
            Assert.Equal(1.0, norm, 9);
        }
    }

    [Fact]
    public void A_Sparse_Graph_Of_5000_Nodes_With_10_Planted_Clusters_Is_Recovered_By_The_Default_Route()
    {
        var (w, labels) = Sparse(5000, 10, 10, 6);

        var predicted = SpectralClustering.Cluster(w, 10, seed: 0);

        Assert.Equal(1.0, ClusteringMetrics.AdjustedRandIndex(labels, predicted));
    }
}

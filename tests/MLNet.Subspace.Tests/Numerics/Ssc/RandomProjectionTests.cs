using MLNet.Subspace.Numerics.Metrics;
using MLNet.Subspace.Numerics.Ssc;
using TorchSharp;
using static MLNet.Subspace.Tests.Numerics.Ssc.SscTestData;

namespace MLNet.Subspace.Tests.Numerics.Ssc;

/// <summary>The optional random projection of the features (<see cref="SscOptions.ProjectedDimension"/>).</summary>
public class RandomProjectionTests
{
    [Fact]
    public void Projection_Has_The_Asked_Width_And_Is_The_Same_Bytes_For_A_Seed()
    {
        var (x, _) = Subspaces(per: 10, ambient: 300, dim: 3);
        var options = new SscOptions { ProjectedDimension = 64, ProjectionSeed = 7 };

        var a = options.Project(x);
        var b = options.Project(x);
        var other = (options with { ProjectionSeed = 8 }).Project(x);

        Assert.Equal(new long[] { 30, 64 }, a.shape);
        Assert.Equal(0.0, (a - b).abs().max().item<double>());
        Assert.True((a - other).abs().max().item<double>() > 0.01);
    }

    [Fact]
    public void Projection_Keeps_Inner_Products_To_About_One_Over_Root_P()
    {
        // Given unit samples in D = 2,000, projected to p = 1,024
        var (x, _) = Subspaces(per: 20, ambient: 2000, dim: 4, noise: 0.01);
        x = x / x.norm(1, keepdim: true);

        var y = new SscOptions { ProjectedDimension = 1024 }.Project(x);

        // Then every inner product moves by at most 6/sqrt(p) = 0.19 (the JL deviation of one pair is ~ sqrt(2/p) = 0.044;
        // 6 is a margin for the maximum over 1,770 pairs), and a product-preserving map would fail it only if broken.
        double worst = (y.matmul(y.t()) - x.matmul(x.t())).abs().max().item<double>();
        Assert.True(worst < 6 / Math.Sqrt(1024), $"largest change of an inner product {worst}");
        Assert.True(worst > 1e-3); // it did project
    }

    [Fact]
    public void Projection_Off_Or_Wider_Than_D_Leaves_The_Samples()
    {
        var (x, _) = Subspaces(per: 5);

        Assert.Same(x, new SscOptions().Project(x));
        Assert.Same(x, new SscOptions { ProjectedDimension = 50 }.Project(x));
    }

    [Fact]
    public void Projected_Clustering_Of_Noise_Free_Subspaces_Stays_Exact()
    {
        // A linear map keeps each subspace a subspace (of the same dimension, almost surely), so noise-free data stay separable
        var (x, labels) = Subspaces(per: 30, subspaces: 3, ambient: 400, dim: 3, seed: 6);

        var result = new SscOptions { Solver = SscSolver.Omp, ProjectedDimension = 64 }.Cluster(x, 3);

        Assert.Equal(1.0, ClusteringMetrics.Accuracy(labels, result.Labels));
    }

    [Fact]
    public void A_Projected_Dimension_Below_1_Is_Refused_By_Name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SscOptions { ProjectedDimension = 0 }.Validate());
        Assert.Contains("ProjectedDimension", e.Message);
    }
}

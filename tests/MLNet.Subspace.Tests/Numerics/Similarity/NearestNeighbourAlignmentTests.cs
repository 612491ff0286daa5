using CsCheck;
using MLNet.Subspace.Numerics.Similarity;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.Numerics.Similarity;

/// <summary>Mutual k-NN, cycle k-NN and CKNNA against an independent NumPy version of the platonic-representation metrics.py, identities and degenerate inputs.</summary>
public class NearestNeighbourAlignmentTests(ITestOutputHelper output)
{
    private void Check(string name, double value, Dictionary<string, double> expected, double tolerance)
    {
        double diff = Math.Abs(value - expected[name]);
        output.WriteLine($"{name}: {value:R} max abs diff {diff:G3}");
        Assert.True(diff <= tolerance, $"{name}: {value} against {expected[name]}");
    }

    [Fact]
    public void Measures_Match_The_Numpy_Reference()
    {
        using var scope = NewDisposeScope();
        var x = RsaTests.Load("X.csv");
        var y = RsaTests.Load("Y.csv");
        var expected = RsaTests.Expected();
        foreach (int k in new[] { 1, 5, 10 })
        {
            Check($"mutual_knn_{k}", NearestNeighbourAlignment.MutualKnn(x, y, k), expected, 1e-15);
            Check($"cycle_knn_xy_{k}", NearestNeighbourAlignment.CycleKnn(x, y, k), expected, 1e-15);
            Check($"cycle_knn_yx_{k}", NearestNeighbourAlignment.CycleKnn(y, x, k), expected, 1e-15);
        }
        foreach (int k in new[] { 2, 5, 10, 39 })
            Check($"cknna_{k}", NearestNeighbourAlignment.Cknna(x, y, k), expected, 1e-12);
    }

    [Fact]
    public void Neighbours_Exclude_Self_And_Break_Ties_By_The_Lower_Index()
    {
        // Row 0 has inner product 1 with rows 1, 2 and 3 (a three-way tie) and 0 with row 4.
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 1, 0, 1, 0, 1, 0, 1, 0, 0, 1 }, [5, 2], float64);
        var knn = NearestNeighbourAlignment.Neighbours(x, 2);
        Assert.Equal(new long[] { 1, 2 }, knn[0].data<long>().ToArray());
        for (int i = 0; i < 5; i++)
            Assert.DoesNotContain((long)i, knn[i].data<long>().ToArray());

        // Forty equal rows: every inner product is tied, so each row's neighbours are the lowest other indices.
        var same = ones(40, 3, float64);
        var all = NearestNeighbourAlignment.Neighbours(same, 30);
        for (int i = 0; i < 40; i++)
            Assert.Equal(Enumerable.Range(0, 31).Where(j => j != i).Take(30).Select(j => (long)j).ToArray(), all[i].data<long>().ToArray());
    }

    [Fact]
    public void Alignment_Of_X_With_Itself_Is_One_And_Measures_Stay_In_Range()
    {
        Gen.Select(Gen.Int[12, 50], Gen.Int[2, 10], Gen.Int[1, 10], Gen.Int[0, 1_000_000]).Sample((n, d, k, seed) =>
        {
            using var scope = NewDisposeScope();
            var g = new torch.Generator((ulong)seed);
            var x = randn(n, d, float64, generator: g);
            var y = x.mm(randn(d, d + 1, float64, generator: g)) + randn(n, d + 1, float64, generator: g);
            Assert.Equal(1.0, NearestNeighbourAlignment.MutualKnn(x, x, k));
            Assert.Equal(1.0, NearestNeighbourAlignment.MutualKnn(x, x * 3.0, k)); // scaling keeps the inner-product order
            double mutual = NearestNeighbourAlignment.MutualKnn(x, y, k);
            Assert.Equal(mutual, NearestNeighbourAlignment.MutualKnn(y, x, k), 15);
            Assert.InRange(mutual, 0.0, 1.0);
            Assert.InRange(NearestNeighbourAlignment.CycleKnn(x, y, k), 0.0, 1.0);
            if (k >= 2)
            {
                double self = NearestNeighbourAlignment.Cknna(x, x, k);
                Assert.InRange(self, 1 - 1e-4, 1.0); // 1 up to the reference's + 1e-6 in the denominator
            }
        }, iter: 30, threads: 1);
    }

    [Fact]
    public void Too_Few_Inputs_For_K_Different_Counts_And_Small_K_Are_Refused()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(3);
        var x = randn(8, 3, float64, generator: g);
        var error = Assert.Throws<ArgumentException>(() => NearestNeighbourAlignment.MutualKnn(x, x, 8));
        Assert.Contains("k = 8 needs at least k + 1 = 9 inputs", error.Message);
        Assert.Contains("Got 8 inputs", error.Message);
        Assert.Throws<ArgumentException>(() => NearestNeighbourAlignment.CycleKnn(x, x, 8));
        Assert.Throws<ArgumentException>(() => NearestNeighbourAlignment.Cknna(x, x, 8));
        Assert.Equal(1.0, NearestNeighbourAlignment.MutualKnn(x, x, 7)); // k = N - 1: every other input
        Assert.Contains("at least 1", Assert.Throws<ArgumentException>(() => NearestNeighbourAlignment.MutualKnn(x, x, 0)).Message);
        Assert.Contains("k >= 2", Assert.Throws<ArgumentException>(() => NearestNeighbourAlignment.Cknna(x, x, 1)).Message);
        Assert.Contains("8 rows but Y has 7 rows", Assert.Throws<ArgumentException>(() => NearestNeighbourAlignment.MutualKnn(x, x.narrow(0, 0, 7), 2)).Message);
        Assert.Contains("at least 4 inputs", Assert.Throws<ArgumentException>(() => NearestNeighbourAlignment.Cknna(x.narrow(0, 0, 3), x.narrow(0, 0, 3), 2)).Message);
    }
}

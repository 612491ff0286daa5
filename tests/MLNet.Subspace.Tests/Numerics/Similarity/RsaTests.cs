using System.Globalization;
using MLNet.Subspace.Data;
using MLNet.Subspace.Numerics.Similarity;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.Numerics.Similarity;

/// <summary>RSA against the independent NumPy/SciPy values of bench/similarity/make_rsa_fixtures.py, and its degenerate inputs.</summary>
public class RsaTests(ITestOutputHelper output)
{
    internal static Tensor Load(string name)
    {
        Matrix m = CsvMatrix.Read(TestPaths.Fixture("similarity-rsa", name));
        return tensor(m.Values, [m.Rows, m.Columns], float64);
    }

    internal static Dictionary<string, double> Expected()
        => File.ReadLines(TestPaths.Fixture("similarity-rsa", "expected.csv")).Skip(1)
            .Select(line => line.Split(','))
            .ToDictionary(parts => parts[0], parts => double.Parse(parts[1], CultureInfo.InvariantCulture));

    private static string Name(RdmDistance distance) => distance.ToString().ToLowerInvariant();

    private static string Name(RdmComparison comparison) => comparison switch
    {
        RdmComparison.KendallTauA => "kendall_tau_a",
        _ => comparison.ToString().ToLowerInvariant(),
    };

    [Theory]
    [InlineData(RdmDistance.Euclidean)]
    [InlineData(RdmDistance.Correlation)]
    [InlineData(RdmDistance.Cosine)]
    public void Rdm_Matches_Scipy_Pdist(RdmDistance distance)
    {
        // Given X and its RDM from scipy's pairwise pdist (no Gram matrix)
        using var scope = NewDisposeScope();
        var x = Load("X.csv");
        var expected = Load($"rdm_{Name(distance)}_X.csv");

        // When
        var rdm = Rsa.Rdm(x, distance);

        // Then
        double diff = (rdm - expected).abs().max().item<double>();
        output.WriteLine($"RDM {distance}: max abs diff {diff:G3}");
        Assert.True(diff < 1e-12, $"max abs diff {diff}");
        Assert.Equal(0.0, rdm.diagonal().abs().max().item<double>());
        Assert.Equal(0.0, (rdm - rdm.t()).abs().max().item<double>());
    }

    [Fact]
    public void Rsa_Matches_Scipy_For_Every_Distance_And_Comparison()
    {
        using var scope = NewDisposeScope();
        var x = Load("X.csv");
        var y = Load("Y.csv");
        var expected = Expected();
        double worst = 0;
        foreach (var distance in Enum.GetValues<RdmDistance>())
            foreach (var comparison in Enum.GetValues<RdmComparison>())
            {
                double value = Rsa.Compute(x, y, distance, comparison);
                double diff = Math.Abs(value - expected[$"rsa_{Name(distance)}_{Name(comparison)}"]);
                output.WriteLine($"RSA {distance} {comparison}: {value:R} max abs diff {diff:G3}");
                Assert.True(diff < 1e-12, $"{distance} {comparison}: {value} against {expected[$"rsa_{Name(distance)}_{Name(comparison)}"]}");
                worst = Math.Max(worst, diff);
            }
        output.WriteLine($"worst {worst:G3}");
    }

    [Fact]
    public void Ties_Get_Average_Ranks_And_Tau_A_Counts_Tied_Pairs_As_Neither()
    {
        // Given integer data, whose euclidean RDMs have many tied dissimilarities (tau-a differs from tau-b there)
        using var scope = NewDisposeScope();
        var x = Load("Xt.csv");
        var y = Load("Yt.csv");
        var expected = Expected();
        foreach (var comparison in Enum.GetValues<RdmComparison>())
        {
            double value = Rsa.Compute(x, y, RdmDistance.Euclidean, comparison);
            double diff = Math.Abs(value - expected[$"ties_euclidean_{Name(comparison)}"]);
            output.WriteLine($"ties {comparison}: {value:R} max abs diff {diff:G3}");
            Assert.True(diff < 1e-12, $"{comparison}: {value} against {expected[$"ties_euclidean_{Name(comparison)}"]}");
        }
    }

    [Fact]
    public void Average_Ranks_And_Tau_A_By_Hand()
    {
        Assert.Equal([2.5, 1.0, 2.5, 4.0], Rsa.AverageRanks([3.0, 1.0, 3.0, 7.0]));
        // pairs of (a, b): (1,1) (2,3) (3,2): (1,2) C, (1,3) C, (2,3) D -> (2 - 1) / 3
        Assert.Equal(1.0 / 3, Rsa.KendallTauA([1, 2, 3], [1, 3, 2]), 15);
        // a tie in a: (1,1) (1,2) (2,3): pair 1-2 tied in a (neither), 1-3 C, 2-3 C -> 2 / 3
        Assert.Equal(2.0 / 3, Rsa.KendallTauA([1, 1, 2], [1, 2, 3]), 15);
        Assert.Equal(-1.0, Rsa.KendallTauA([1, 2, 3, 4], [4, 3, 2, 1]), 15);
    }

    [Fact]
    public void Constant_Row_Under_Correlation_Distance_Is_Refused_Naming_The_Row()
    {
        using var scope = NewDisposeScope();
        var x = randn(5, 4, float64, generator: new Generator(1));
        x[2] = full(4, 0.3, float64);
        var error = Assert.Throws<ArgumentException>(() => Rsa.Rdm(x, RdmDistance.Correlation));
        Assert.Contains("Row 3 (counted from 1)", error.Message);
        Assert.Contains("constant", error.Message);
        Assert.NotNull(Rsa.Rdm(x, RdmDistance.Euclidean));
        x[2] = zeros(4, float64);
        Assert.Contains("all zeros", Assert.Throws<ArgumentException>(() => Rsa.Rdm(x, RdmDistance.Cosine)).Message);
    }

    [Fact]
    public void Too_Few_Inputs_Different_Counts_And_Flat_Rdms_Are_Refused()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(2);
        Assert.Contains("at least 2 rows", Assert.Throws<ArgumentException>(() => Rsa.Rdm(randn(1, 3, float64, generator: g))).Message);
        Assert.Contains("at least 3 inputs", Assert.Throws<ArgumentException>(() => Rsa.Compute(randn(2, 3, float64, generator: g), randn(2, 3, float64, generator: g))).Message);
        Assert.Contains("10 rows but Y has 9 rows", Assert.Throws<ArgumentException>(() => Rsa.Compute(randn(10, 3, float64, generator: g), randn(9, 3, float64, generator: g))).Message);
        // Every input the same: the RDM is all zeros, so every comparison is 0/0.
        var same = ones(6, 3, float64);
        var other = randn(6, 3, float64, generator: g);
        foreach (var comparison in Enum.GetValues<RdmComparison>())
            Assert.Contains("RDM X", Assert.Throws<ArgumentException>(() => Rsa.Compute(same, other, RdmDistance.Euclidean, comparison)).Message);
        var nan = other.clone();
        nan[0, 0] = double.NaN;
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => Rsa.Compute(other, nan)).Message);
    }
}

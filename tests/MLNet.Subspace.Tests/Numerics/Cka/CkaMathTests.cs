using MLNet.Subspace.Data;
using MLNet.Subspace.Numerics.Cka;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.Numerics.Cka;

public class CkaMathTests
{
    internal static Tensor Load(string name)
    {
        Matrix m = CsvMatrix.Read(TestPaths.Fixture("cka", name));
        return tensor(m.Values, [m.Rows, m.Columns], float64);
    }

    [Fact]
    public void Golden_Values_Match_Kornblith_Notebook()
    {
        // Given X = randn(100,10), Y = randn(100,10) + X (NumPy legacy RNG, seed 1337)
        using var x = Load("X.csv");
        using var y = Load("Y.csv");

        // When / Then
        Assert.Equal(0.55761, CkaMath.Compute(x, y), 5);
        Assert.Equal(0.51346, CkaMath.Compute(x, y, debiased: true), 5);
        Assert.Equal(0.65483, CkaMath.Compute(x, y, CkaKernel.Rbf, threshold: 0.5), 5);
        Assert.Equal(0.4192767510220515, CkaMath.Compute(x, y, CkaKernel.Rbf, threshold: 0.5, debiased: true), 9);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gram_And_Feature_Routes_Agree(bool debiased)
    {
        using var x = Load("X.csv");
        using var y = Load("Y.csv");

        double feature = CkaMath.FeatureSpaceLinearCka(x, y, debiased);
        using var gx = CkaMath.GramLinear(x);
        using var gy = CkaMath.GramLinear(y);
        double gram = CkaMath.Cka(gx, gy, debiased);

        Assert.Equal(gram, feature, 12);
        Assert.Equal(gram, CkaMath.Compute(x, y, debiased: debiased, forceGram: true), 12);
    }

    [Fact]
    public void Hsic_Of_Centred_Gram_Matches_Trace_Formula_With_Explicit_H()
    {
        // Given a small case where H = I - 11^T/N can be formed explicitly
        using var x = Load("X.csv");
        using var y = Load("Y.csv");
        using var kx = CkaMath.GramLinear(x);
        using var ky = CkaMath.GramLinear(y);
        using var h = eye(100, dtype: float64) - ones(100, 100, dtype: float64) / 100;

        double expected = kx.mm(h).mm(ky).mm(h).trace().item<double>() / (99.0 * 99.0);

        Assert.Equal(expected, CkaMath.Hsic(kx, ky), 9);
    }

    [Fact]
    public void Constant_Representation_Throws_With_Reason()
    {
        using var x = full(50, 4, 3.0, float64);
        using var y = randn(50, 4, float64);

        var e = Assert.Throws<DegenerateCkaException>(() => CkaMath.Compute(x, y));
        Assert.Contains("'X' is constant", e.Message);
        var g = Assert.Throws<DegenerateCkaException>(() => CkaMath.Compute(x, y, forceGram: true));
        Assert.Contains("constant", g.Message);
        var r = Assert.Throws<DegenerateCkaException>(() => CkaMath.Compute(x, y, CkaKernel.Rbf));
        Assert.Contains("bandwidth is zero", r.Message);
    }

    [Fact]
    public void All_Zero_Kernel_Throws_With_Reason()
    {
        using var k = zeros(20, 20, float64);
        using var l = CkaMath.GramLinear(randn(20, 3, float64));

        var e = Assert.Throws<DegenerateCkaException>(() => CkaMath.Cka(l, k));
        Assert.Contains("'Y' is all zeros", e.Message);
    }

    [Fact]
    public void Debiased_Cka_Of_Uncorrelated_Samples_Is_Negative_And_Agrees_Across_Routes()
    {
        // Given x = 1..6 and y with zero sample covariance with x (hand-picked)
        using var x = tensor(new double[] { 1, 2, 3, 4, 5, 6 }, [6, 1], float64);
        using var y = tensor(new double[] { 1, -1, 0, 0, -1, 1 }, [6, 1], float64);

        // When / Then: the biased CKA is 0 and the U-statistic is negative (peer: -0.48694498898808625)
        Assert.Equal(0.0, CkaMath.Compute(x, y), 12);
        Assert.Equal(-0.48694498898808625, CkaMath.Compute(x, y, debiased: true), 12);
        Assert.Equal(-0.48694498898808625, CkaMath.Compute(x, y, debiased: true, forceGram: true), 12);
    }

    [Fact]
    public void Non_Positive_Debiased_Self_Hsic_Is_A_Named_Reason()
    {
        // The centred self inner product is a sum of squares, so only rounding or averaging can make it
        // non-positive; the check still names it rather than taking a square root.
        Assert.Contains("not positive", CkaMath.DegenerateReason(-1e-3, 1.0, "conv3", debiased: true));
        Assert.Contains("'conv3' is constant", CkaMath.DegenerateReason(1e-30, 1.0, "conv3", debiased: true));
        Assert.Null(CkaMath.DegenerateReason(0.5, 1.0, "conv3", debiased: true));
    }

    [Fact]
    public void Mismatched_Row_Counts_Name_Both_Counts()
    {
        using var x = randn(10, 3, float64);
        using var y = randn(9, 3, float64);

        var e = Assert.Throws<ArgumentException>(() => CkaMath.Compute(x, y));

        Assert.Contains("X has 10 rows but Y has 9 rows", e.Message);
    }

    [Fact]
    public void Asymmetric_Gram_Is_Rejected()
    {
        using var k = tensor(new double[] { 1, 2, 0, 1 }, [2, 2], float64);

        var e = Assert.Throws<ArgumentException>(() => CkaMath.CenterGram(k));

        Assert.Contains("must be symmetric", e.Message);
    }

    [Fact]
    public void Feature_Route_Is_Chosen_When_Features_Are_Fewer_Than_Samples()
    {
        Assert.True(CkaMath.UseFeatureRoute(100, 10, 20));
        Assert.False(CkaMath.UseFeatureRoute(100, 10, 4096));
    }
}

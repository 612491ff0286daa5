using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Similarity;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.Numerics.Similarity;

/// <summary>Degenerate inputs of CCA, SVCCA, PWCCA, Procrustes and the shape metric: a clear error naming what is needed.</summary>
public class CcaProcrustesDegenerateTests
{
    public static TheoryData<string> Measures => new() { "cca", "svcca", "pwcca", "procrustes", "shape" };

    private static double Run(string measure, Tensor x, Tensor y) => measure switch
    {
        "cca" => Cca.MeanSquaredCorrelation(x, y),
        "svcca" => Svcca.MeanCorrelation(x, y),
        "pwcca" => Pwcca.Compute(x, y),
        "procrustes" => Procrustes.Distance(x, y),
        "shape" => ShapeMetric.AngularDistance(x, y, 0.5),
        _ => throw new ArgumentOutOfRangeException(nameof(measure)),
    };

    private static Tensor Random(long n, long d, ulong seed = 7) => randn(n, d, float64, generator: new TorchSharp.torch.Generator(seed));

    [Theory]
    [MemberData(nameof(Measures))]
    public void One_Input_Is_Refused_Saying_Two_Are_Needed(string measure)
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => Run(measure, Random(1, 3), Random(1, 2)));
        Assert.Contains("at least 2 inputs", error.Message);
    }

    [Theory]
    [MemberData(nameof(Measures))]
    public void Different_Row_Counts_Are_Refused_Naming_Both(string measure)
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => Run(measure, Random(10, 3), Random(9, 3)));
        Assert.Contains("X has 10 rows but Y has 9 rows", error.Message);
    }

    [Theory]
    [MemberData(nameof(Measures))]
    public void A_Constant_Representation_Is_Degenerate_And_Says_So(string measure)
    {
        using var scope = NewDisposeScope();
        var constant = full(12, 4, 3.5, float64);
        var error = Assert.Throws<DegenerateCkaException>(() => Run(measure, Random(12, 3), constant));
        Assert.Contains("every column of 'Y' is constant", error.Message);
        Assert.Throws<DegenerateCkaException>(() => Run(measure, zeros(12, 2, float64), Random(12, 3)));
    }

    [Theory]
    [MemberData(nameof(Measures))]
    public void Non_Finite_Values_Are_Refused(string measure)
    {
        using var scope = NewDisposeScope();
        var x = Random(8, 3);
        x[2, 1] = tensor(double.NaN);
        var error = Assert.Throws<ArgumentException>(() => Run(measure, x, Random(8, 2)));
        Assert.Contains("'X' holds NaN or infinite values", error.Message);
    }

    [Theory]
    [MemberData(nameof(Measures))]
    public void A_Vector_Instead_Of_A_Matrix_Is_Refused(string measure)
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => Run(measure, Random(8, 3), randn(8, float64)));
        Assert.Contains("'Y' must be a 2-D N x d matrix", error.Message);
    }

    [Fact]
    public void Options_Out_Of_Range_Are_Refused_With_The_Range()
    {
        using var scope = NewDisposeScope();
        var x = Random(10, 3);
        var y = Random(10, 2, 8);
        Assert.Contains(">= 0", Assert.Throws<ArgumentOutOfRangeException>(() => Cca.Correlations(x, y, -1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Cca.Correlations(x, y, double.NaN));
        Assert.Contains("(0, 1]", Assert.Throws<ArgumentOutOfRangeException>(() => Svcca.Correlations(x, y, 0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Svcca.KeptDirections(x, 1.5));
        Assert.Contains("[0, 1]", Assert.Throws<ArgumentOutOfRangeException>(() => ShapeMetric.AngularDistance(x, y, 1.1)).Message);
    }

    [Fact]
    public void Two_Inputs_And_More_Features_Than_Inputs_Give_Defined_Values()
    {
        // N = 2: each centred representation has rank 1, so there is one canonical correlation and it is 1.
        using var scope = NewDisposeScope();
        var x = Random(2, 5);
        var y = Random(2, 3, 8);
        var rho = Assert.Single(Cca.Correlations(x, y));
        Assert.Equal(1.0, rho, 12);
        Assert.Equal(0.0, Procrustes.Distance(x, y), 12);
        // d > N without a ridge: every correlation is 1; the ridge brings them below 1.
        var wideX = Random(10, 30);
        var wideY = Random(10, 40, 8);
        Assert.Equal(1.0, Cca.MeanCorrelation(wideX, wideY), 10);
        Assert.InRange(Cca.MeanCorrelation(wideX, wideY, ridge: 10), 0.0, 0.99);
    }
}

using CsCheck;
using MLNet.Subspace.Numerics.Similarity;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.Numerics.Similarity;

/// <summary>
/// Identities of CCA, SVCCA, PWCCA, Procrustes and the shape metric on random shapes and data (CsCheck; torch
/// data from a generated seed). Shapes include d &gt;= N, so rank-deficient centred matrices are covered.
/// </summary>
public class CcaProcrustesPropertyTests
{
    private const long Iterations = 40;

    /// <summary>(n, dx, dy, seed) with n in [6, 50], d in [1, 12].</summary>
    private static readonly Gen<(int N, int Dx, int Dy, int Seed)> Shapes =
        Gen.Select(Gen.Int[6, 50], Gen.Int[1, 12], Gen.Int[1, 12], Gen.Int[0, 1_000_000], (n, dx, dy, s) => (n, dx, dy, s));

    private static (Tensor X, Tensor Y, Generator G) Data((int N, int Dx, int Dy, int Seed) s)
    {
        var g = new torch.Generator((ulong)s.Seed);
        var x = randn(s.N, s.Dx, float64, generator: g);
        // Y shares a random linear part of X plus noise, so correlations are spread over [0, 1].
        var y = x.mm(randn(s.Dx, s.Dy, float64, generator: g)) + randn(s.N, s.Dy, float64, generator: g);
        return (x, y, g);
    }

    private static Tensor Orthogonal(int d, Generator g) => linalg.qr(randn(d, d, float64, generator: g)).Q;

    /// <summary>A well-conditioned invertible map: Q1 diag(0.5..2) Q2 (condition number at most 4).</summary>
    private static Tensor Invertible(int d, Generator g)
        => Orthogonal(d, g).mm(diag(rand(d, float64, generator: g) * 1.5 + 0.5)).mm(Orthogonal(d, g));

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.InRange(actual[i], expected[i] - tolerance, expected[i] + tolerance);
    }

    [Fact]
    public void Cca_Is_Invariant_To_Invertible_Linear_Maps_And_Shifts_But_Procrustes_Is_Not()
    {
        int changed = 0;
        Shapes.Sample(s =>
        {
            using var scope = NewDisposeScope();
            var (x, y, g) = Data(s);
            var mapped = x.mm(Invertible(s.Dx, g)) + randn(1, s.Dx, float64, generator: g) * 5;
            AssertClose(Cca.Correlations(x, y), Cca.Correlations(mapped, y), 1e-8);
            AssertClose(Cca.Correlations(x, y), Cca.Correlations(y, x), 1e-8);
            Assert.Equal(ShapeMetric.AngularDistance(x, y, 0.0), ShapeMetric.AngularDistance(mapped, y, 0.0), 6);
            // The same check on Procrustes, which only allows rotations, must see the map: the test can fail.
            if (s.Dx > 1 && Math.Abs(Procrustes.Distance(x, y) - Procrustes.Distance(mapped, y)) > 1e-6) changed++;
        }, iter: Iterations, threads: 1);
        Assert.True(changed > 0, "an invertible non-orthogonal map never changed the Procrustes distance, so the invariance check cannot tell");
    }

    [Fact]
    public void Procrustes_Is_Symmetric_And_Invariant_To_Rotations_Shifts_And_Scale()
    {
        Shapes.Sample(s =>
        {
            using var scope = NewDisposeScope();
            var (x, y, g) = Data(s);
            double d = Procrustes.Distance(x, y);
            var rotatedX = x.mm(Orthogonal(s.Dx, g)) * 3.0 + 7.0;
            var rotatedY = y.mm(Orthogonal(s.Dy, g)) - 2.0;
            Assert.Equal(d, Procrustes.Distance(y, x), 10);
            Assert.Equal(d, Procrustes.Distance(rotatedX, rotatedY), 10);
            Assert.Equal(0.0, Procrustes.Distance(x, rotatedX), 10);
            Assert.Equal(Math.Acos(Procrustes.NuclearNorm(x, y)), ShapeMetric.AngularDistance(rotatedX, y, 1.0), 6);
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Shape_Metric_Meets_The_Triangle_Inequality_On_Random_Triples()
    {
        double tightest = double.PositiveInfinity;
        Gen.Select(Shapes, Gen.Int[1, 12], Gen.Double[0, 1]).Sample((s, dz, alpha) =>
        {
            using var scope = NewDisposeScope();
            var (x, y, g) = Data(s);
            var z = y.mm(randn(s.Dy, dz, float64, generator: g)) + 0.5 * randn(s.N, dz, float64, generator: g);
            double xy = ShapeMetric.AngularDistance(x, y, alpha), yz = ShapeMetric.AngularDistance(y, z, alpha), xz = ShapeMetric.AngularDistance(x, z, alpha);
            foreach (var (a, b, c) in new[] { (xz, xy, yz), (xy, xz, yz), (yz, xy, xz) })
            {
                Assert.True(a <= b + c + 1e-7, $"triangle inequality fails at alpha {alpha}: {a} > {b} + {c}");
                tightest = Math.Min(tightest, b + c - a);
            }
            // Symmetry to 1e-6, not 1e-8: the distance is arccos of a similarity, and near angle 0 a rounding error d of the
            // cosine moves the angle by about sqrt(2 d) (1.5e-8 for d = 1e-16), which a random sample can hit.
            Assert.Equal(xy, ShapeMetric.AngularDistance(y, x, alpha), 1e-6);
        }, iter: Iterations, threads: 1);
        Assert.True(tightest < 0.5, $"every triple had slack >= {tightest}, so the check was never close to failing");
    }

    [Fact]
    public void Svcca_Keeping_All_Variance_Is_Cca()
    {
        Shapes.Sample(s =>
        {
            using var scope = NewDisposeScope();
            var (x, y, _) = Data(s);
            AssertClose(Cca.Correlations(x, y), Svcca.Correlations(x, y, 1.0), 1e-12);
            Assert.True(Svcca.KeptDirections(x, 0.5) <= Svcca.KeptDirections(x, 0.99));
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Each_Measure_Of_A_Representation_With_Itself_Is_Its_Identity_Value()
    {
        Shapes.Sample(s =>
        {
            using var scope = NewDisposeScope();
            var (x, _, _) = Data(s);
            Assert.Equal(1.0, Cca.MeanSquaredCorrelation(x, x), 10);
            Assert.Equal(1.0, Cca.MeanCorrelation(x, x), 10);
            Assert.Equal(1.0, Svcca.MeanCorrelation(x, x), 10);
            Assert.Equal(1.0, Pwcca.Compute(x, x), 10);
            Assert.Equal(0.0, Procrustes.Distance(x, x), 10);
            // arccos near 1 magnifies rounding: arccos(1 - 1e-16) is 1.4e-8.
            foreach (double alpha in new[] { 0.0, 0.5, 1.0 })
                Assert.InRange(ShapeMetric.AngularDistance(x, x, alpha), 0.0, 1e-6);
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Alpha_Zero_Is_The_Angle_Of_The_Mean_Canonical_Correlation()
    {
        Shapes.Sample(s =>
        {
            using var scope = NewDisposeScope();
            var (x, y, _) = Data(s);
            double rx = Svcca.KeptDirections(x, 1.0), ry = Svcca.KeptDirections(y, 1.0);
            double expected = Math.Acos(Math.Min(1.0, Cca.Correlations(x, y).Sum() / Math.Sqrt(rx * ry)));
            Assert.Equal(expected, ShapeMetric.AngularDistance(x, y, 0.0), 6);
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Pwcca_Weights_Are_A_Distribution_And_Pwcca_Lies_Between_The_Extreme_Correlations()
    {
        Shapes.Sample(s =>
        {
            using var scope = NewDisposeScope();
            var (x, y, _) = Data(s);
            var w = Pwcca.Weights(x, y);
            var rho = Cca.Correlations(x, y);
            Assert.Equal(rho.Length, w.Length);
            Assert.Equal(1.0, w.Sum(), 10);
            Assert.All(w, v => Assert.True(v >= 0));
            double p = Pwcca.Compute(x, y);
            Assert.InRange(p, rho.Min() - 1e-12, rho.Max() + 1e-12);
        }, iter: Iterations, threads: 1);
    }
}

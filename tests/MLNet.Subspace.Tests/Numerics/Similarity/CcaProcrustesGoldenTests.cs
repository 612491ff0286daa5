using System.Globalization;
using MLNet.Subspace.Data;
using MLNet.Subspace.Numerics.Similarity;
using static TorchSharp.torch;
using Xunit.Abstractions;

namespace MLNet.Subspace.Tests.Numerics.Similarity;

/// <summary>
/// CCA, SVCCA, PWCCA, Procrustes and the shape metric against golden values from an independent NumPy
/// implementation written from the papers in the covariance form (bench/similarity/make_fixtures.py;
/// fixtures in Fixtures/similarity): a = N 50, d 8 vs 6; b = N 20, d 30 vs 25 (d &gt; N, ridge);
/// c = rank-deficient X (a duplicated and a constant column).
/// </summary>
public class CcaProcrustesGoldenTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-9;

    private sealed record Golden(string Case, string Measure, double Parameter, double Value);

    private static readonly Golden[] Rows = File.ReadAllLines(TestPaths.Fixture("similarity", "golden.csv"))
        .Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
        .Select(p => new Golden(p[0], p[1], double.Parse(p[2], CultureInfo.InvariantCulture), double.Parse(p[3], CultureInfo.InvariantCulture)))
        .ToArray();

    private static Tensor Load(string name)
    {
        Matrix m = CsvMatrix.Read(TestPaths.Fixture("similarity", name));
        return tensor(m.Values, [m.Rows, m.Columns], float64);
    }

    private double MaxDifference(string measure, Func<Tensor, Tensor, double, double> compute)
    {
        var rows = Rows.Where(r => r.Measure == measure).ToArray();
        Assert.NotEmpty(rows);
        double worst = 0;
        foreach (var row in rows)
        {
            using var scope = NewDisposeScope();
            var x = Load($"x_{row.Case}.csv");
            var y = Load($"y_{row.Case}.csv");
            double diff = Math.Abs(compute(x, y, row.Parameter) - row.Value);
            output.WriteLine($"{measure} case {row.Case} parameter {row.Parameter}: NumPy {row.Value:R}, diff {diff:G3}");
            worst = Math.Max(worst, diff);
        }
        output.WriteLine($"{measure}: {rows.Length} values, max abs diff {worst:G3}");
        return worst;
    }

    [Fact]
    public void Cca_Mean_Squared_Correlation_Matches_NumPy() =>
        Assert.InRange(MaxDifference("cca_r2", (x, y, ridge) => Cca.MeanSquaredCorrelation(x, y, ridge)), 0, Tolerance);

    [Fact]
    public void Cca_Mean_Correlation_Matches_NumPy() =>
        Assert.InRange(MaxDifference("cca_mean", (x, y, ridge) => Cca.MeanCorrelation(x, y, ridge)), 0, Tolerance);

    [Fact]
    public void Svcca_Matches_NumPy() =>
        Assert.InRange(MaxDifference("svcca_mean", (x, y, keep) => Svcca.MeanCorrelation(x, y, keep)), 0, Tolerance);

    [Fact]
    public void Pwcca_Matches_NumPy() =>
        Assert.InRange(MaxDifference("pwcca", (x, y, _) => Pwcca.Compute(x, y)), 0, Tolerance);

    [Fact]
    public void Procrustes_Matches_NumPy() =>
        Assert.InRange(MaxDifference("procrustes", (x, y, _) => Procrustes.Distance(x, y)), 0, Tolerance);

    [Fact]
    public void Shape_Metric_Matches_Netrep_Written_In_NumPy() =>
        // netrep clips null eigenvalues at 1e-7 where we cut at the numerical rank (case c has two null directions).
        Assert.InRange(MaxDifference("shape_angular", (x, y, alpha) => ShapeMetric.AngularDistance(x, y, alpha)), 0, 1e-7);

    [Fact]
    public void Fixture_Ranks_Are_As_Built()
    {
        // Case c: five random columns, a multiple of the first, a constant: rank 5; d > N in case b: rank N - 1.
        using var scope = NewDisposeScope();
        Assert.Equal(5, Svcca.KeptDirections(Load("x_c.csv"), 1.0));
        Assert.Equal(19, Svcca.KeptDirections(Load("x_b.csv"), 1.0));
        Assert.Equal(4, Cca.Correlations(Load("x_c.csv"), Load("y_c.csv")).Length);
    }
}

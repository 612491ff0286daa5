using System.Globalization;
using CsCheck;
using MLNet.Subspace.Data;
using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Similarity;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.Numerics.Similarity;

/// <summary>
/// The permutation metric and its assignment solver against SciPy's linear_sum_assignment (and brute force on the small
/// cases: bench/similarity/make_permutation_fixtures.py, fixtures in Fixtures/similarity-permutation), and its identities
/// on random data (CsCheck): invariance to permuting either side's neurons, symmetry, the triangle inequality, and the
/// bound by the rotation-invariant shape metric.
/// </summary>
public class PermutationMetricTests
{
    private static readonly Dictionary<string, double> Expected = File.ReadAllLines(TestPaths.Fixture("similarity-permutation", "expected.csv"))
        .Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
        .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));

    private static Matrix Read(string name) => CsvMatrix.Read(TestPaths.Fixture("similarity-permutation", name));

    private static Tensor Load(string name)
    {
        var m = Read(name);
        return tensor(m.Values, [m.Rows, m.Columns], float64);
    }

    [Theory]
    [InlineData("square")]
    [InlineData("wide_y")]
    [InlineData("d_over_n")]
    [InlineData("small")]
    public void The_Angle_Matches_Netrep_With_Scipys_Assignment(string name)
    {
        using var scope = NewDisposeScope();
        var x = Load($"x_{name}.csv");
        var y = Load($"y_{name}.csv");
        Assert.Equal(Expected[$"permutation_{name}"], PermutationMetric.AngularDistance(x, y), 12);
        Assert.Equal(Expected[$"permutation_{name}"], PermutationMetric.AngularDistance(y, x), 12);
    }

    [Theory]
    [InlineData("lap_square")]
    [InlineData("lap_rect")]
    [InlineData("lap_ties")]
    public void The_Assignment_Has_Scipys_Optimal_Total(string name)
    {
        var cost = Read($"{name}.csv");
        int[] columns = LinearAssignment.Minimise(cost.Values, cost.Rows, cost.Columns);
        Assert.Equal(cost.Rows, columns.Distinct().Count());
        double total = columns.Select((c, i) => cost.Values[i * cost.Columns + c]).Sum();
        Assert.Equal(Expected[name], total, 12);
    }

    [Theory]
    [InlineData(3, 3)]
    [InlineData(4, 7)]
    [InlineData(5, 5)]
    [InlineData(5, 9)]
    [InlineData(6, 13)]
    public void The_Assignment_Has_The_Brute_Force_Optimum_With_Many_Ties(int n, int m)
    {
        // Small integer costs tie often, widths that are not a multiple of the SIMD width exercise the scalar tails.
        for (int seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            var cost = Enumerable.Range(0, n * m).Select(_ => (double)random.Next(-3, 4)).ToArray();
            int[] columns = LinearAssignment.Minimise(cost, n, m);
            Assert.Equal(n, columns.Distinct().Count());
            double total = columns.Select((c, i) => cost[i * m + c]).Sum();
            Assert.Equal(BruteForce(cost, n, m, 0, new bool[m]), total);
        }
    }

    private static double BruteForce(double[] cost, int n, int m, int row, bool[] used)
    {
        if (row == n) return 0;
        double best = double.PositiveInfinity;
        for (int j = 0; j < m; j++)
        {
            if (used[j]) continue;
            used[j] = true;
            best = Math.Min(best, cost[row * m + j] + BruteForce(cost, n, m, row + 1, used));
            used[j] = false;
        }
        return best;
    }

    [Fact]
    public void The_Matching_Undoes_A_Permutation_Of_Neurons()
    {
        using var scope = NewDisposeScope();
        var x = randn(30, 5, float64, generator: new torch.Generator(4));
        int[] order = [3, 0, 4, 1, 2];
        var y = x.index_select(1, tensor(order.Select(i => (long)i).ToArray())) * 2.0 + 1.0;
        Assert.InRange(PermutationMetric.AngularDistance(x, y), 0.0, 1e-6);
        int[] matching = PermutationMetric.Matching(x, y);
        for (int j = 0; j < order.Length; j++) Assert.Equal(j, order[matching[j]]);
        // The wider side's unmatched columns are marked -1.
        Assert.Equal(2, PermutationMetric.Matching(x, y[.., ..3]).Count(m => m == -1));
    }

    [Fact]
    public void A_Constant_Representation_Is_Degenerate_And_Says_So()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<DegenerateCkaException>(() => PermutationMetric.AngularDistance(randn(10, 3, float64), full(10, 2, 4.0, float64)));
        Assert.Contains("every column of 'Y' is constant", error.Message);
        Assert.Contains("X has 10 rows but Y has 9 rows", Assert.Throws<ArgumentException>(() => PermutationMetric.AngularDistance(randn(10, 3, float64), randn(9, 3, float64))).Message);
    }

    private static readonly Gen<(int N, int Dx, int Dy, int Dz, int Seed)> Shapes =
        Gen.Select(Gen.Int[4, 40], Gen.Int[1, 9], Gen.Int[1, 9], Gen.Int[1, 9], Gen.Int[0, 1_000_000], (n, dx, dy, dz, s) => (n, dx, dy, dz, s));

    private static Tensor Permuted(Tensor x, Generator g) => x.index_select(1, randperm(x.shape[1], generator: g));

    [Fact]
    public void It_Is_Invariant_To_Neuron_Permutations_Symmetric_And_Above_The_Rotation_Invariant_Angle()
    {
        int strictlyAbove = 0;
        Shapes.Sample(s =>
        {
            using var scope = NewDisposeScope();
            var g = new torch.Generator((ulong)s.Seed);
            var x = randn(s.N, s.Dx, float64, generator: g);
            var y = x.mm(randn(s.Dx, s.Dy, float64, generator: g)) + randn(s.N, s.Dy, float64, generator: g);
            double d = PermutationMetric.AngularDistance(x, y);
            Assert.Equal(d, PermutationMetric.AngularDistance(Permuted(x, g), Permuted(y, g)), 10);
            Assert.Equal(d, PermutationMetric.AngularDistance(y, x), 10);
            double rotation = ShapeMetric.AngularDistance(x, y, 1.0);
            Assert.True(d >= rotation - 1e-7, $"the permutation angle {d} is below the rotation-invariant angle {rotation}");
            if (d > rotation + 1e-6) strictlyAbove++;
        }, iter: 40, threads: 1);
        Assert.True(strictlyAbove > 0, "the permutation angle always equalled the rotation angle, so the bound check cannot tell them apart");
    }

    [Fact]
    public void It_Meets_The_Triangle_Inequality_On_Random_Triples()
    {
        double tightest = double.PositiveInfinity;
        Shapes.Sample(s =>
        {
            using var scope = NewDisposeScope();
            var g = new torch.Generator((ulong)s.Seed);
            var x = randn(s.N, s.Dx, float64, generator: g);
            // One width for all three: netrep pads each pair to its wider side, so across widths the padding (and the metric) differs.
            var y = x.mm(randn(s.Dx, s.Dx, float64, generator: g)) + 0.5 * randn(s.N, s.Dx, float64, generator: g);
            var z = y.mm(randn(s.Dx, s.Dx, float64, generator: g)) + 0.5 * randn(s.N, s.Dx, float64, generator: g);
            double xy = PermutationMetric.AngularDistance(x, y), yz = PermutationMetric.AngularDistance(y, z), xz = PermutationMetric.AngularDistance(x, z);
            foreach (var (a, b, c) in new[] { (xz, xy, yz), (xy, xz, yz), (yz, xy, xz) })
            {
                Assert.True(a <= b + c + 1e-9, $"triangle inequality fails: {a} > {b} + {c}");
                tightest = Math.Min(tightest, b + c - a);
            }
        }, iter: 60, threads: 1);
        Assert.True(tightest < 0.5, $"every triple had slack >= {tightest}, so the check was never close to failing");
    }
}

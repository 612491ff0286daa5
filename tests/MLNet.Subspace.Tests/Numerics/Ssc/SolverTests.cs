using MLNet.Subspace.Data;
using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Metrics;
using MLNet.Subspace.Numerics.Ssc;
using TorchSharp;
using static MLNet.Subspace.Tests.Numerics.Ssc.SscTestData;

namespace MLNet.Subspace.Tests.Numerics.Ssc;

public class SolverTests
{
    public static TheoryData<string> Solvers => new() { "admm", "faithful", "omp", "ensc", "omp-gram", "ensc-gram" };

    private static SelfExpressionSolver Create(string name, torch.ScalarType dtype = torch.ScalarType.Float64) => name switch
    {
        "admm" => new AdmmLassoSolver { DType = dtype },
        "faithful" => new FaithfulAdmmSolver(),
        "omp" => new OmpSolver { DType = dtype, MaximumNonZeros = 4, GramSpace = false },
        "omp-gram" => new OmpSolver { DType = dtype, MaximumNonZeros = 4, GramSpace = true },
        "ensc-gram" => new ElasticNetSolver { DType = dtype, GramSpace = true },
        _ => new ElasticNetSolver { DType = dtype, GramSpace = false },
    };

    private static void AssertFiniteZeroDiagonal(SparseMatrix c)
    {
        Assert.All(c.Values, v => Assert.True(double.IsFinite(v)));
        for (int i = 0; i < c.Rows; i++) Assert.DoesNotContain(i, c.RowIndices(i).ToArray());
    }

    [Theory]
    [MemberData(nameof(Solvers))]
    public void Solve_Gives_Finite_Codes_With_Zero_Diagonal_For_Zero_Vectors(string solver)
    {
        // Given subspace data with two all-zero samples
        var (x, _) = Subspaces(per: 15);
        x[3] = torch.zeros(6, torch.float64);
        x[20] = torch.zeros(6, torch.float64);

        // When solving
        var result = Create(solver).Solve(x);

        // Then nothing is NaN, the diagonal is empty and the zero samples have empty codes
        AssertFiniteZeroDiagonal(result.Coefficients);
        Assert.Empty(result.Coefficients.RowIndices(3).ToArray());
        Assert.Empty(result.Coefficients.RowIndices(20).ToArray());
    }

    [Theory]
    [MemberData(nameof(Solvers))]
    public void Solve_Gives_Finite_Codes_For_Duplicate_Points(string solver)
    {
        // Given data where every sample appears twice
        var (x, _) = Subspaces(per: 10);
        var doubled = torch.cat([x, x], 0);

        // When solving
        var result = Create(solver).Solve(doubled);

        // Then the codes are finite with a zero diagonal
        AssertFiniteZeroDiagonal(result.Coefficients);
        if (solver != "faithful") Assert.True(result.Coefficients.NonZeroCount > 0); // the paper's defaults shrink unit-norm data to zero
    }

    [Theory]
    [MemberData(nameof(Solvers))]
    public void Solve_Gives_Finite_Codes_For_Rank_Deficient_Data(string solver)
    {
        // Given 40 samples in R^8 that all lie on one line (rank 1)
        var t = torch.linspace(-1, 1, 40, dtype: torch.float64).unsqueeze(1);
        var direction = torch.arange(1, 9, dtype: torch.float64).unsqueeze(0);
        var x = t.matmul(direction);

        // When solving
        var result = Create(solver).Solve(x);

        // Then the codes are finite
        AssertFiniteZeroDiagonal(result.Coefficients);
    }

    [Theory]
    [MemberData(nameof(Solvers))]
    public void Solve_Names_Row_And_Column_Of_A_NaN(string solver)
    {
        var (x, _) = Subspaces(per: 5);
        x[7, 2] = double.NaN;

        var e = Assert.Throws<ArgumentException>(() => Create(solver).Solve(x));

        Assert.Contains("Sample (row) 8, feature (column) 3 (counted from 1)", e.Message); // x[7, 2], 0-based
    }

    [Theory]
    [MemberData(nameof(Solvers))]
    public void Solve_Throws_When_Fewer_Than_Two_Rows(string solver)
    {
        var e = Assert.Throws<ArgumentException>(() => Create(solver).Solve(torch.ones(1, 4, dtype: torch.float64)));

        Assert.Contains("minimum of 2", e.Message);
    }

    [Fact]
    public void Admm_Refuses_Work_Beyond_Memory_With_An_Estimate_And_A_Suggestion()
    {
        // Given one million one-dimensional samples (a tiny input whose N x N work cannot fit)
        var x = torch.ones(1_000_000, 1, dtype: torch.float32);

        var e = Assert.Throws<InsufficientMemoryException>(() => new AdmmLassoSolver().Solve(x));

        Assert.Contains("GiB", e.Message);
        Assert.Contains("omp or ensc", e.Message);
    }

    [Fact]
    public void Omp_Throws_When_K_Exceeds_N_Minus_1()
    {
        var (x, _) = Subspaces(per: 3);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new OmpSolver { MaximumNonZeros = 9 }.Solve(x));

        Assert.Contains("[1, 8]", e.Message);
        Assert.Contains("Got 9", e.Message);
    }

    [Fact]
    public void Admm_Converged_Codes_Meet_The_Lasso_Optimality_Conditions()
    {
        // Given a small problem solved to a tight tolerance in float64
        var (x, _) = Subspaces(per: 12, noise: 0.05);
        // (the full factor: the KKT conditions below are those of X's Lasso, not of its rank-r approximation)
        var solver = new AdmmLassoSolver { DType = torch.ScalarType.Float64, Alpha = 20, Tolerance = 1e-9, RelativeTolerance = 0, RankTolerance = 0, MaximumNumberOfIterations = 20000 };

        var result = solver.Solve(x);

        // Then for every column, with r = x_i - X c_i: lambda x_j^T r = sign(c_j) on the support and |lambda x_j^T r| <= 1 off it
        Assert.True(result.Converged);
        double lambda = solver.Alpha / AdmmLassoSolver.MuZ(x.t());
        var c = result.Coefficients.ToDenseTensor(); // row i = code of sample i
        var residual = x - c.matmul(x);             // row i = x_i - X c_i
        var corr = residual.matmul(x.t()) * lambda;  // [i, j] = lambda x_j^T r_i
        var ca = c.data<double>().ToArray();
        var ga = corr.data<double>().ToArray();
        int n = (int)x.shape[0];
        double worst = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (i == j) continue;
                double v = ca[i * n + j], g = ga[i * n + j];
                worst = Math.Max(worst, v != 0 ? Math.Abs(g - Math.Sign(v)) : Math.Max(0, Math.Abs(g) - 1));
            }
        Assert.True(worst < 1e-4, $"largest KKT violation {worst}");
    }

    [Fact]
    public void Admm_Affine_Codes_Sum_To_One()
    {
        var (x, _) = Subspaces(per: 12, noise: 0.02);
        var solver = new AdmmLassoSolver { DType = torch.ScalarType.Float64, Affine = true, Tolerance = 1e-7, RelativeTolerance = 0, RankTolerance = 0, MaximumNumberOfIterations = 5000 };

        var result = solver.Solve(x);

        var sums = result.Coefficients.RowSums();
        Assert.All(sums, s => Assert.Equal(1.0, s, 4));
    }

    [Fact]
    public void Admm_Clusters_Noise_Free_Subspaces_Exactly()
    {
        var (x, labels) = Subspaces(per: 40, subspaces: 4, ambient: 9, dim: 3);

        var result = SubspaceClustering.Run(x, new AdmmLassoSolver(), 4, seed: 1);

        Assert.Equal(1.0, ClusteringMetrics.Accuracy(labels, result.Labels));
        Assert.True(SelfExpressionMetrics.SubspacePreservingError(result.Expression.Coefficients, labels) < 0.05);
    }

    [Fact]
    public void Admm_Float32_And_Float64_Agree()
    {
        var (x, _) = Subspaces(per: 20, noise: 0.02);

        var a = new AdmmLassoSolver { DType = torch.ScalarType.Float32, MaximumNumberOfIterations = 50 }.Solve(x);
        var b = new AdmmLassoSolver { DType = torch.ScalarType.Float64, MaximumNumberOfIterations = 50 }.Solve(x);

        Assert.True(MaxAbsDiff(Dense(a.Coefficients), Dense(b.Coefficients)) < 1e-3);
    }

    [Fact]
    public void Faithful_Matches_The_Peer_Within_1e4()
    {
        // Given the peer's ssc_admm_faithful codes on its own data (Fixtures/ssc/make_fixtures.py)
        var (x, _) = PeerFixture();
        var expected = CsvMatrix.Read(TestPaths.Fixture("ssc", "faithful_Ct.csv")).Values;

        var result = new FaithfulAdmmSolver().Solve(x);

        Assert.True(MaxAbsDiff(Dense(result.Coefficients), expected) <= 1e-4);
        Assert.Equal(200, result.Iterations);
    }

    [Fact]
    public void Faithful_Matches_The_Peer_Within_1e4_On_Scaled_Data()
    {
        var (x, _) = PeerFixture();
        var expected = CsvMatrix.Read(TestPaths.Fixture("ssc", "faithful5_Ct.csv")).Values;

        var result = new FaithfulAdmmSolver().Solve(x * 5);

        Assert.True(expected.Max(Math.Abs) > 0.05); // the fixture is not trivially zero
        Assert.True(MaxAbsDiff(Dense(result.Coefficients), expected) <= 1e-4);
    }

    [Fact]
    public void Omp_Matches_The_Peer()
    {
        var (x, _) = PeerFixture();
        var expected = CsvMatrix.Read(TestPaths.Fixture("ssc", "omp_Ct.csv")).Values;

        var result = new OmpSolver { DType = torch.ScalarType.Float64, MaximumNonZeros = 4, ResidualTolerance = 1e-12 }.Solve(x);

        Assert.True(MaxAbsDiff(Dense(result.Coefficients), expected) <= 1e-6);
    }

    [Fact]
    public void ElasticNet_Codes_Meet_The_Elastic_Net_Optimality_Conditions()
    {
        // Given unit-norm samples and tau = 0.8
        var (x, _) = Subspaces(per: 15, noise: 0.05);
        var xn = x / x.norm(1, keepdim: true);
        var solver = new ElasticNetSolver { DType = torch.ScalarType.Float64, Tau = 0.8, Alpha = 10 };

        var result = solver.Solve(xn);

        // Then gamma x_j^T r - (1 - tau) c_j = tau sign(c_j) on the support and |gamma x_j^T r| <= tau off it
        Assert.True(result.Converged);
        int n = (int)x.shape[0];
        var c = result.Coefficients.ToDenseTensor();
        var gram = xn.matmul(xn.t());
        gram.diagonal().zero_();
        var gamma = gram.abs().amax(1).reciprocal() * solver.Tau * solver.Alpha; // per sample
        var corr = (xn - c.matmul(xn)).matmul(xn.t()) * gamma.unsqueeze(1);
        var ca = c.data<double>().ToArray();
        var ga = corr.data<double>().ToArray();
        double worst = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (i == j) continue;
                double v = ca[i * n + j], g = ga[i * n + j];
                worst = Math.Max(worst, v != 0 ? Math.Abs(g - (1 - solver.Tau) * v - solver.Tau * Math.Sign(v)) : Math.Max(0, Math.Abs(g) - solver.Tau));
            }
        Assert.True(worst < 1e-5, $"largest KKT violation {worst}");
    }

    [Fact]
    public void ElasticNet_And_Omp_Cluster_Noise_Free_Subspaces_Exactly()
    {
        var (x, labels) = Subspaces(per: 60, subspaces: 4, ambient: 9, dim: 3, seed: 2);

        foreach (SelfExpressionSolver solver in new SelfExpressionSolver[] { new ElasticNetSolver(), new OmpSolver { MaximumNonZeros = 3 } })
        {
            var result = SubspaceClustering.Run(x, solver, 4, seed: 1);
            Assert.Equal(1.0, ClusteringMetrics.Accuracy(labels, result.Labels));
        }
    }

    [Fact]
    public void Small_Batches_Give_The_Same_Codes_As_One_Batch()
    {
        var (x, _) = Subspaces(per: 20, noise: 0.02);

        var one = new OmpSolver { DType = torch.ScalarType.Float64, MaximumNonZeros = 3 }.Solve(x);
        var many = new OmpSolver { DType = torch.ScalarType.Float64, MaximumNonZeros = 3, BlockElements = 60 * 7 }.Solve(x);
        var enOne = new ElasticNetSolver { DType = torch.ScalarType.Float64 }.Solve(x);
        var enMany = new ElasticNetSolver { DType = torch.ScalarType.Float64, BlockElements = 60 * 7 }.Solve(x);

        Assert.True(MaxAbsDiff(Dense(one.Coefficients), Dense(many.Coefficients)) < 1e-9);
        double en = MaxAbsDiff(Dense(enOne.Coefficients), Dense(enMany.Coefficients));
        Assert.True(en < 1e-6, $"EnSC batches differ by {en}"); // converged columns are re-polished while others in their batch continue
    }

    [Fact]
    public void Ensc_Gathers_Restricted_Problems_In_Chunks_Within_Its_Estimate_With_The_Same_Codes()
    {
        // Activation-shaped and noisy (D a little above N, noise comparable to the signal): supports grow round after round.
        // A whole batch's b x |T| x D gather is what grew past 18 GB at N ~ 1,000; here it is gathered in chunks.
        var (x, _) = Subspaces(per: 20, subspaces: 4, ambient: 90, dim: 5, noise: 0.22, seed: 5); // noise norm ~2.1 per point
        int n = (int)x.shape[0], d = (int)x.shape[1];
        var whole = new ElasticNetSolver { DType = torch.ScalarType.Float64 };
        var chunked = new ElasticNetSolver { DType = torch.ScalarType.Float64, GatherElements = 10_000 };

        var a = whole.Solve(x);
        var b = chunked.Solve(x);

        // The chunks solve the same problems (BLAS rounds a differently sized batched product differently, ~1e-16).
        double diff = MaxAbsDiff(Dense(a.Coefficients), Dense(b.Coefficients));
        Assert.True(diff < 1e-9, $"chunked codes differ by {diff}");
        Assert.True(a.Coefficients.NonZeroCount > 30L * n, $"supports stayed small ({a.Coefficients.NonZeroCount} non-zeros): the test no longer grows them");
        int s = chunked.MaximumSupport(n);
        Assert.True(chunked.LargestBlock <= Math.Max(Math.Max(10_000L, (long)s * Math.Max(d, s)), (long)n * n), $"largest gather {chunked.LargestBlock}");
        Assert.True(whole.LargestBlock > 10_000L, "the whole-batch gather should exceed the chunk size");
        // The estimate counts the largest gather three times (atoms, Gram tensor, managed Gram copy) in float64, and more.
        Assert.True(3 * 8 * chunked.LargestBlock <= chunked.EstimateBytes(n, d));
        Assert.True(3 * 8 * whole.LargestBlock <= whole.EstimateBytes(n, d));
    }

    [Fact]
    public void Omp_Gives_Byte_Identical_Codes_Run_To_Run()
    {
        // float32, several greedy steps per column: LAPACK's batched least squares rounded differently on
        // every call here (up to 4.8e-7), so the saved codes differed from run to run.
        var (x, _) = Subspaces(per: 100, subspaces: 6, ambient: 60, dim: 6, noise: 0.05, seed: 7);
        var codes = new OmpSolver().Solve(x).Coefficients;
        byte[] first = Bytes(codes);

        for (int run = 0; run < 3; run++)
        {
            using var shift = torch.zeros(run * 13 + 1); // later allocations land elsewhere
            Assert.Equal(first, Bytes(new OmpSolver().Solve(x).Coefficients));
        }
        Assert.True(codes.NonZeroCount > 600 * 3, $"expected several atoms per code, got {codes.NonZeroCount} non-zeros");
    }

    private static byte[] Bytes(SparseMatrix m)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) m.Write(writer);
        return stream.ToArray();
    }
}

using MLNet.Subspace.Numerics.Ssc;
using TorchSharp;
using static MLNet.Subspace.Tests.Numerics.Ssc.SscTestData;

namespace MLNet.Subspace.Tests.Numerics.Ssc;

/// <summary>ADMM through the numerical rank of G, and its stopping rule.</summary>
public class AdmmRankTests
{
    [Theory]
    [InlineData(12, 20)]   // D < N = 60: thin SVD of X, then the threshold
    [InlineData(120, 20)]  // D >= N = 60: eigendecomposition of G, then the threshold
    [InlineData(320, 100)] // D >= N = 300: N / 4 >= 64, so the randomized range finder
    public void Truncated_Admm_Agrees_With_Full_Admm_On_Low_Rank_Data(int ambient, int per)
    {
        // Given noise-free data of rank 3 x 3 = 9, unit-length rows
        var (raw, _) = Subspaces(per: per, subspaces: 3, ambient: ambient, dim: 3, seed: 2);
        var x = raw / raw.norm(1, keepdim: true);
        int n = 3 * per;
        // (500 iterations each, no early stop: the same iteration count, so the codes are compared step for step)
        var truncated = new AdmmLassoSolver { DType = torch.ScalarType.Float64, Tolerance = 0, RelativeTolerance = 0, MaximumNumberOfIterations = 500 };
        var full = new AdmmLassoSolver { DType = torch.ScalarType.Float64, Tolerance = 0, RelativeTolerance = 0, MaximumNumberOfIterations = 500, RankTolerance = 0 };

        var a = truncated.Solve(x);
        var b = full.Solve(x);

        // Then the truncated factor has the data's rank, and the codes agree: the dropped eigenpairs have s² ~ 1e-30,
        // whose Z-step weight h = λs²/(λs² + ρ) is ~1e-30, so the two iterations differ by rounding only (1e-7: float64
        // rounding through 500 iterations of a contraction, with margin).
        Assert.Equal(9, truncated.Rank);
        Assert.Equal(Math.Min(ambient, n), full.Rank);
        Assert.True(Dense(a.Coefficients).Max(Math.Abs) > 0.1); // not trivially zero
        Assert.True(MaxAbsDiff(Dense(a.Coefficients), Dense(b.Coefficients)) < 1e-7);
    }

    [Fact]
    public void Range_Finder_Gives_The_Leading_Eigenpairs_Of_G()
    {
        // Given N = 400 samples of rank 12 (4 subspaces of dimension 3) with tiny noise, as D x N columns
        var (raw, _) = Subspaces(per: 100, subspaces: 4, ambient: 500, dim: 3, noise: 1e-4, seed: 5);
        var x = raw.t();

        var (v, s2) = AdmmLassoSolver.Factor(x, rankTolerance: 1e-2);
        var (vFull, s2Full) = AdmmLassoSolver.Factor(x, rankTolerance: 0);

        // Then the 12 kept eigenvalues are G's 12 largest and the two spans coincide (projectors within 1e-8: the dropped
        // eigenvalues are ~1e-8 of the kept ones, and two power iterations raise that ratio to the fifth power)
        Assert.Equal(12, s2.shape[0]);
        var top = s2Full.sort(descending: true).Values[..12].sort().Values;
        Assert.True(MaxAbsDiff(s2.sort().Values.data<double>().ToArray(), top.data<double>().ToArray()) < 1e-8 * top.max().item<double>());
        var keepFull = vFull.index_select(1, s2Full.argsort(descending: true)[..12]);
        var projector = v.matmul(v.t());
        var projectorFull = keepFull.matmul(keepFull.t());
        Assert.True((projector - projectorFull).abs().max().item<double>() < 1e-8);
    }

    [Fact]
    public void Rank_Tolerance_Drops_Only_Eigenpairs_Below_The_Threshold()
    {
        // G = diag(4, 1, 0.01) from orthogonal columns of lengths 2, 1, 0.1
        var x = torch.tensor(new double[] { 2, 0, 0, 0, 1, 0, 0, 0, 0.1 }, [3, 3], torch.float64);

        var (_, kept) = AdmmLassoSolver.Factor(x, rankTolerance: 0.01);  // keeps s² > 0.04: 4 and 1
        var (_, all) = AdmmLassoSolver.Factor(x, rankTolerance: 0.001); // keeps s² > 0.004: all three

        Assert.Equal(2, kept.shape[0]);
        Assert.Equal(3, all.shape[0]);
    }

    [Fact]
    public void Default_Stopping_Rule_Converges_Before_The_Cap_On_Noisy_Subspaces()
    {
        var (x, _) = Subspaces(per: 30, subspaces: 3, ambient: 40, dim: 3, noise: 0.01, seed: 4);

        var result = new AdmmLassoSolver().Solve(x / x.norm(1, keepdim: true));

        Assert.True(result.Converged);
        Assert.True(result.Iterations < AdmmLassoSolver.Defaults.MaximumNumberOfIterations);
    }

    [Fact]
    public void Solve_Runs_Its_Iterations_On_One_Thread_And_Restores_The_Thread_Count()
    {
        // The factor and the iterations run on one intra-op thread; the caller's setting must come back, also on a throw.
        var (x, _) = Subspaces(per: 20, subspaces: 3, ambient: 30, dim: 3, noise: 0.01, seed: 3);
        int before = torch.get_num_threads();
        int asked = before == 3 ? 2 : 3;
        int seen = 0;
        try
        {
            torch.set_num_threads(asked);
            new AdmmLassoSolver { CheckEvery = 1, Trace = (_, _, _, _, _) => seen = torch.get_num_threads() }.Solve(x);
            Assert.Equal(1, seen);
            Assert.Equal(asked, torch.get_num_threads());
            Assert.Throws<InvalidOperationException>(() => new AdmmLassoSolver { CheckEvery = 1, Trace = (_, _, _, _, _) => throw new InvalidOperationException("stop") }.Solve(x));
            Assert.Equal(asked, torch.get_num_threads());
        }
        finally { torch.set_num_threads(before); }
    }
}

using MLNet.Subspace.Numerics.Ssc;
using TorchSharp;
using static MLNet.Subspace.Tests.Numerics.Ssc.SscTestData;

namespace MLNet.Subspace.Tests.Numerics.Ssc;

/// <summary>The Gram-space paths of OMP and EnSC give the codes of the X paths (the same maths, another order of sums).</summary>
public class GramSpaceSolverTests
{
    // Activation-shaped: D = 80 >= N = 60, three 4-dimensional subspaces, mild noise (so no residual reaches the tolerance
    // and every column runs its k steps: the picks of all steps are compared).
    private static torch.Tensor ActivationShaped(torch.ScalarType dtype) =>
        Subspaces(per: 20, subspaces: 3, ambient: 80, dim: 4, noise: 0.02, seed: 3).X.to(dtype);

    [Fact]
    public void Omp_In_Gram_Space_Gives_The_Codes_Of_The_Sample_Path_In_Float64()
    {
        var x = ActivationShaped(torch.ScalarType.Float64);

        var onX = new OmpSolver { DType = torch.ScalarType.Float64, MaximumNonZeros = 6, GramSpace = false }.Solve(x);
        var onG = new OmpSolver { DType = torch.ScalarType.Float64, MaximumNonZeros = 6, GramSpace = true }.Solve(x);

        // Same supports, coefficients within 1e-9: float64 rounding (~1e-16) through at most 6 x 6 triangular solves of
        // well-conditioned atoms; the Gram path skips the second Gram-Schmidt pass, which moves results by ~1e-14 here.
        Assert.Equal(onX.Coefficients.NonZeroCount, onG.Coefficients.NonZeroCount);
        Assert.True(MaxAbsDiff(Dense(onX.Coefficients), Dense(onG.Coefficients)) < 1e-9);
        Assert.Equal(6, onG.Iterations);
    }

    [Fact]
    public void Omp_In_Gram_Space_Gives_The_Codes_Of_The_Sample_Path_In_Float32()
    {
        var x = ActivationShaped(torch.ScalarType.Float32);

        var onX = new OmpSolver { MaximumNonZeros = 6, GramSpace = false }.Solve(x);
        var onG = new OmpSolver { MaximumNonZeros = 6, GramSpace = true }.Solve(x);

        // Float32: G's entries carry ~1e-7 relative rounding, amplified by the condition of the chosen atoms (~10 here);
        // 1e-4 leaves a margin of 100 over what was measured (~1e-6) and would still catch a wrong pick (coefficients ~0.1-1).
        Assert.Equal(onX.Coefficients.NonZeroCount, onG.Coefficients.NonZeroCount);
        Assert.True(MaxAbsDiff(Dense(onX.Coefficients), Dense(onG.Coefficients)) < 1e-4);
    }

    [Theory]
    [InlineData(torch.ScalarType.Float64, 1e-12)]
    [InlineData(torch.ScalarType.Float32, 1e-5)]
    public void Omp_Column_Loop_Gives_The_Codes_Of_The_Tensor_Batches(torch.ScalarType dtype, double tolerance)
    {
        var x = ActivationShaped(dtype);

        var batches = new OmpSolver { DType = dtype, MaximumNonZeros = 6, GramSpace = true, TensorGramSteps = true }.Solve(x);
        var columns = new OmpSolver { DType = dtype, MaximumNonZeros = 6, GramSpace = true }.Solve(x);

        // The same steps in another order of sums (SIMD lanes vs the batched product): same supports, coefficients to rounding.
        Assert.Equal(batches.Coefficients.NonZeroCount, columns.Coefficients.NonZeroCount);
        Assert.True(MaxAbsDiff(Dense(batches.Coefficients), Dense(columns.Coefficients)) < tolerance);
        Assert.Equal(batches.Iterations, columns.Iterations);
    }

    [Fact]
    public void Omp_On_A_Given_Gram_Matrix_Gives_The_Codes_Of_The_Samples()
    {
        // Samples of different lengths, and one zero sample: the Gram route rescales G to unit-length samples itself.
        var x = ActivationShaped(torch.ScalarType.Float64) * torch.linspace(0.5, 3, 60, dtype: torch.ScalarType.Float64).unsqueeze(1);
        x[7] = torch.zeros(80, dtype: torch.ScalarType.Float64);
        var solver = new OmpSolver { DType = torch.ScalarType.Float64, MaximumNonZeros = 6, GramSpace = true };

        var fromSamples = solver.Solve(x);
        var fromGram = solver.SolveGram(x.matmul(x.t()));

        Assert.Equal(fromSamples.Coefficients.NonZeroCount, fromGram.Coefficients.NonZeroCount);
        Assert.True(MaxAbsDiff(Dense(fromSamples.Coefficients), Dense(fromGram.Coefficients)) < 1e-9);
        Assert.Equal(0, fromGram.Coefficients.RowPointers[8] - fromGram.Coefficients.RowPointers[7]);
        Assert.Throws<ArgumentException>(() => solver.SolveGram(x));
    }

    [Fact]
    public void Omp_Chooses_Gram_Space_When_D_Is_At_Least_N()
    {
        Assert.True(new OmpSolver().UsesGram(1_000, 2_000));
        Assert.False(new OmpSolver().UsesGram(2_000, 1_000));
        Assert.False(new OmpSolver().UsesGram(100_000, 100_000)); // G alone would be 40 GB: the X path, linear in N
        Assert.True(new OmpSolver { GramSpace = true }.UsesGram(2_000, 10));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.8)]
    public void ElasticNet_In_Gram_Space_Gives_The_Codes_Of_The_Sample_Path_In_Float64(double tau)
    {
        var x = ActivationShaped(torch.ScalarType.Float64);

        var onX = new ElasticNetSolver { DType = torch.ScalarType.Float64, Tau = tau, GramSpace = false }.Solve(x);
        var onG = new ElasticNetSolver { DType = torch.ScalarType.Float64, Tau = tau, GramSpace = true }.Solve(x);

        // Both solve the restricted problems exactly (feature-sign search) on Gram matrices that differ by float64
        // rounding only (~1e-16), so the codes agree to far below 1e-8 unless an active-set decision flips at its threshold.
        Assert.True(onX.Converged && onG.Converged);
        Assert.Equal(onX.Iterations, onG.Iterations);
        Assert.Equal(onX.Coefficients.NonZeroCount, onG.Coefficients.NonZeroCount);
        Assert.True(MaxAbsDiff(Dense(onX.Coefficients), Dense(onG.Coefficients)) < 1e-8);
    }

    [Fact]
    public void ElasticNet_In_Gram_Space_Agrees_With_The_Sample_Path_In_Float32()
    {
        var x = ActivationShaped(torch.ScalarType.Float32);

        var onX = new ElasticNetSolver { GramSpace = false }.Solve(x);
        var onG = new ElasticNetSolver { GramSpace = true }.Solve(x);

        // The X path forms the restricted problems in float64 from float32 samples, the Gram path reads them from a
        // float32 G (~1e-7 relative); the Lasso solution moves by that times the restricted problem's condition.
        Assert.True(MaxAbsDiff(Dense(onX.Coefficients), Dense(onG.Coefficients)) < 1e-4);
    }
}

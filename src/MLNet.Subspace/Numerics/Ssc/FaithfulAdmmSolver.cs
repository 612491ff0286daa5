using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Ssc;

/// <summary>
/// The paper's own ADMM-Lasso (SSC1.py semantics, quirks included), for reproducing its numbers:
/// G = τX<sup>T</sup>X, L = pinv(G + μI) computed <b>once</b>; Z = L(G + μ(C − Λ/μ)) (diagonal kept);
/// C = soft(Z + Λ/μ, 1/μ), diag(C) = 0; Λ += μ(Z − C); μ doubled/halved by residual balancing while L stays fixed
/// (so the Z-step is no longer exact); stop when sqrt(||X − XC||²/(dN)) ≤ err or at the iteration cap, which doubles once
/// if the fit is still above 0.1.
/// </summary>
/// <remarks>Cost: pinv O(N³) once, then O(N³) per iteration (a dense N x N product); memory ~8 N² elements. Runs in float64
/// by default (the reference does).</remarks>
public sealed class FaithfulAdmmSolver : SelfExpressionSolver
{
    /// <summary>Defaults, defined once (the paper's).</summary>
    public static class Defaults
    {
        /// <summary>τ, the weight of the fit term.</summary>
        public const double Tau = 1.0;
        /// <summary>Initial penalty μ.</summary>
        public const double Mu = 100.0;
        /// <summary>Iteration cap (doubled once when the fit is still poor).</summary>
        public const int MaximumNumberOfIterations = 100;
        /// <summary>RMS fit at which to stop (absolute, so scale-dependent).</summary>
        public const double FitTolerance = 1e-2;
    }

    /// <summary>Creates the solver in float64.</summary>
    public FaithfulAdmmSolver() => DType = ScalarType.Float64;

    /// <inheritdoc />
    public override string Name => "faithful";

    /// <summary>τ.</summary>
    public double Tau { get; init; } = Defaults.Tau;

    /// <summary>Initial μ.</summary>
    public double Mu { get; init; } = Defaults.Mu;

    /// <summary>Iteration cap.</summary>
    public int MaximumNumberOfIterations { get; init; } = Defaults.MaximumNumberOfIterations;

    /// <summary>RMS-fit stopping threshold.</summary>
    public double FitTolerance { get; init; } = Defaults.FitTolerance;

    /// <inheritdoc />
    public override long EstimateBytes(int n, int d) => 9L * n * n * ElementBytes;

    /// <inheritdoc />
    protected override string Suggestion => "The faithful solver is dense by design; use admm (exact, same objective) for moderate N or omp/ensc for large N.";

    /// <inheritdoc />
    protected override (SparseMatrix, int, bool) SolveColumns(Tensor x)
    {
        long d = x.shape[0], n = x.shape[1];
        double mu = Mu;
        var g = x.t().matmul(x).mul_(Tau);
        var linv = linalg.pinv(g + mu * eye(n, dtype: x.dtype, device: x.device));
        var c = zeros(n, n, dtype: x.dtype, device: x.device);
        var lam = zeros(n, n, dtype: x.dtype, device: x.device);
        double Fit(Tensor cc)
        {
            using var s = NewDisposeScope();
            return Math.Sqrt((x - x.matmul(cc)).square().sum().ToDouble() / (d * n));
        }
        int it = 0, reset = 0, maxIter = MaximumNumberOfIterations;
        double fit = Fit(c);
        while (fit > FitTolerance && it < maxIter && reset < 2)
        {
            using var step = NewDisposeScope();
            var cp = c;
            var z = linv.matmul(g + mu * (c - lam / mu));
            var cNew = nn.functional.softshrink(z + lam / mu, 1.0 / mu);
            cNew.diagonal().zero_();
            var lamOld = lam;
            lam = (lam + mu * (z - cNew)).MoveToOuterDisposeScope();
            lamOld.Dispose();
            double r = (z - cNew).norm().ToDouble(), s = (mu * (cNew - cp)).norm().ToDouble();
            c = cNew.MoveToOuterDisposeScope();
            cp.Dispose();
            if (r > 10 * s) mu *= 2;
            else if (10 * r < s) mu /= 2;
            fit = Fit(c);
            if (it == maxIter - 1 && fit > 0.1) { maxIter *= 2; reset++; }
            it++;
        }
        return (ToSparseCodes(c), it, fit <= FitTolerance);
    }
}

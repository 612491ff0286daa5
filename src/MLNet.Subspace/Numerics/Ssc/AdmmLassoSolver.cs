using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Ssc;

/// <summary>
/// SSC by exact ADMM on the Lasso (Elhamifar &amp; Vidal, TPAMI 2013):
/// min ||C||<sub>1</sub> + (λ/2)||X − XC||<sub>F</sub><sup>2</sup> s.t. diag(C) = 0 (and 1<sup>T</sup>C = 1<sup>T</sup> when <see cref="Affine"/>),
/// with λ = α / μ<sub>z</sub>, μ<sub>z</sub> = min<sub>i</sub> max<sub>j≠i</sub> |x<sub>i</sub><sup>T</sup>x<sub>j</sub>| (scale-free).
/// </summary>
/// <remarks>
/// <para>Splitting Z = C with scaled dual U: Z = (λG + ρI)<sup>−1</sup>(λG + ρ(C − U)) [+ the affine term], diag(Z) = 0;
/// C = soft(Z + U, 1/ρ), diag(C) = 0; U += Z − C. G = X<sup>T</sup>X = V diag(s²) V<sup>T</sup> is factored <b>once</b>
/// (thin SVD of X when D &lt; N, eigendecomposition of G otherwise), so the Z-step is exact for every penalty ρ and
/// residual balancing of ρ is allowed. The affine constraint is handled by Sherman–Morrison on top of that factor.</para>
/// <para>Cost: factor O(min(D,N)² max(D,N)) once; each iteration O(r N²) with r = min(D, N) (two thin GEMMs and a
/// handful of elementwise passes over N x N); memory ~6 N² elements. Stops when max|Z − C| and max|C − C<sub>prev</sub>|
/// are both ≤ <see cref="Tolerance"/> (checked every <see cref="CheckEvery"/> iterations), or at <see cref="MaximumNumberOfIterations"/>.</para>
/// </remarks>
public sealed class AdmmLassoSolver : SelfExpressionSolver
{
    /// <summary>Defaults, defined once.</summary>
    public static class Defaults
    {
        /// <summary>α: λ = α/μ<sub>z</sub> (800 as in Elhamifar–Vidal's motion experiments and the peer).</summary>
        public const double Alpha = 800;
        /// <summary>Max-abs tolerance on the primal (Z − C) and dual (C − C<sub>prev</sub>) residuals.</summary>
        public const double Tolerance = 2e-4;
        /// <summary>Iteration cap.</summary>
        public const int MaximumNumberOfIterations = 200;
        /// <summary>Initial ADMM penalty ρ as a multiple of α (Elhamifar–Vidal use ρ = α; α/4 lowered the objective fastest on the benchmark, see docs/ssc.md).</summary>
        public const double PenaltyScale = 0.25;
    }

    /// <inheritdoc />
    public override string Name => "admm";

    /// <summary>α in λ = α / μ<sub>z</sub>; larger means a tighter fit and denser codes.</summary>
    public double Alpha { get; init; } = Defaults.Alpha;

    /// <summary>Adds the affine constraint 1<sup>T</sup>c<sub>i</sub> = 1 (affine subspaces).</summary>
    public bool Affine { get; init; }

    /// <summary>Stopping tolerance (max-abs primal and dual residual).</summary>
    public double Tolerance { get; init; } = Defaults.Tolerance;

    /// <summary>Iteration cap; the result says whether it was reached.</summary>
    public int MaximumNumberOfIterations { get; init; } = Defaults.MaximumNumberOfIterations;

    /// <summary>Initial penalty ρ = α · PenaltyScale (any ρ keeps the Z-step exact; it only changes the speed of convergence).</summary>
    public double PenaltyScale { get; init; } = Defaults.PenaltyScale;

    /// <summary>Residual balancing of the penalty ρ (×2 or ÷2 when one residual is 10× the other); exact because G is factored. Off by default: on the benchmark it drove ρ to ~3 and stalled the objective.</summary>
    public bool AdaptivePenalty { get; init; }

    /// <summary>How often the residuals are computed (each check costs two N x N passes).</summary>
    public int CheckEvery { get; init; } = 5;

    /// <summary>Called after each residual check with (iteration, primal, dual, ρ, objective ||C||₁ + λ/2||X − XC||²); for diagnostics.</summary>
    public Action<int, double, double, double, double>? Trace { get; init; }

    /// <inheritdoc />
    public override long EstimateBytes(int n, int d) => 7L * n * n * ElementBytes + 4L * n * Math.Min(n, d) * ElementBytes;

    /// <inheritdoc />
    protected override (SparseMatrix, int, bool) SolveColumns(Tensor x)
    {
        if (!(Alpha > 0)) throw new ArgumentOutOfRangeException(nameof(Alpha), $"The 'Alpha' option of AdmmLassoSolver must be > 0. Got {Alpha} instead.");
        if (MaximumNumberOfIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaximumNumberOfIterations), $"The 'MaximumNumberOfIterations' option of AdmmLassoSolver must be 1 or more. Got {MaximumNumberOfIterations} instead.");
        int n = (int)x.shape[1];
        var (v, s2) = Factor(x);                 // G = V diag(s2) V^T, V^T V = I (r columns)
        int r = (int)v.shape[1];
        double lambda = Alpha / MuZ(x), rho = Alpha * PenaltyScale;
        var opts = (dtype: x.dtype, device: x.device);
        // Va = [V, 1]: one thin GEMM gives both Vᵀ C and 1ᵀ C.
        var va = cat([v, ones(n, 1, dtype: opts.dtype, device: opts.device)], 1);
        var vat = va.t().contiguous();
        var vt = v.t().contiguous();
        var vtOnes = vt.sum(1, keepdim: true);  // Vᵀ1, r x 1
        var c = zeros(n, n, dtype: opts.dtype, device: opts.device);
        var p = zeros(r, n, dtype: opts.dtype, device: opts.device);  // Vᵀ U   (U = Λ/ρ, the scaled dual, never formed)
        var su = zeros(1, n, dtype: opts.dtype, device: opts.device); // 1ᵀ U
        var e = zeros(1, n, dtype: opts.dtype, device: opts.device);  // scaled dual of 1ᵀZ = 1ᵀ (affine only)
        var proj = vat.matmul(c);                                      // [Vᵀ C; 1ᵀ C]
        Tensor? yPrev = null, cPrev = null;
        int it = 0;
        bool converged = false;
        while (it < MaximumNumberOfIterations)
        {
            using var step = NewDisposeScope();
            it++;
            // Exact Z-step with R = C − U:  Z = R + V diag(h)(Vᵀ − VᵀR) [+ affine terms],  h = λs²/(λs² + ρ).
            // Y = Z + U = C + (Z − R), so only C and the thin projections VᵀU, 1ᵀU are needed.
            var h = (s2 * lambda).div_(s2 * lambda + rho).unsqueeze(1);
            var vtc = proj[..r];
            var onesC = proj[r..];
            var w = (vt - (vtc - p)).mul_(h);                          // r x N
            Tensor left = v, right = w, zMinusR;
            Tensor? onesZ = null;
            if (Affine)
            {
                // rhs += ρ1(1ᵀ − e); Sherman–Morrison for + ρ11ᵀ with a = (B/ρ)⁻¹1 = 1 − V diag(h) Vᵀ1.
                var a = ones(n, 1, dtype: opts.dtype, device: opts.device) - v.matmul(vtOnes * h);
                double sumA = a.sum().ToDouble();
                var onesZ0 = (onesC - su) + (vtOnes.t().matmul(w)) + sumA * (1 - e); // 1ᵀZ0
                var q = (1 - e) - onesZ0 / (1 + sumA);
                onesZ = onesZ0 - sumA * onesZ0 / (1 + sumA);
                left = cat([v, a], 1);
                right = cat([w, q], 0);
            }
            zMinusR = right;
            var y = addmm(c, left, zMinusR, 1, 1);                     // N x N: one write
            double t = 1.0 / rho;
            var cNew = nn.functional.softshrink(y, t);                 // C-step: prox of ||·||₁ with diag(C) = 0
            cNew.diagonal().zero_();
            var projNew = vat.matmul(cNew);
            // Vᵀ U_new = Vᵀ Y − Vᵀ C_new, with Vᵀ Y = Vᵀ C + Vᵀ(left)(right).
            var vtY = vtc + vt.matmul(left).matmul(right);
            var onesY = onesC + left.sum(0, keepdim: true).matmul(right);
            p.copy_(vtY - projNew[..r]);
            su.copy_(onesY - projNew[r..]);
            if (onesZ is not null) e.add_(onesZ - 1);
            bool check = it % CheckEvery == 0 || it == MaximumNumberOfIterations;
            if (check && yPrev is not null && cPrev is not null)
            {
                // Primal Z − C_new = U_new − U_old = (Y − C_new) − (Y_prev − C_prev); dual C_new − C_prev.
                var du = (y - cNew).sub_(yPrev).add_(cPrev);
                var dc = cNew - cPrev;
                double primal = du.abs().max().ToDouble();
                double dual = dc.abs().max().ToDouble();
                if (onesZ is not null) primal = Math.Max(primal, (cNew.sum(0) - 1).abs_().max().ToDouble());
                if (Trace is not null) Trace(it, primal, dual, rho, cNew.abs().sum().ToDouble() + lambda / 2 * (x - x.matmul(cNew)).square().sum().ToDouble());
                if (primal <= Tolerance && dual <= Tolerance) converged = true;
                else if (AdaptivePenalty)
                {
                    double rp = du.norm().ToDouble(), rd = rho * dc.norm().ToDouble();
                    double factor = rp > 10 * rd ? 2 : rd > 10 * rp ? 0.5 : 1;
                    if (factor != 1)
                    {
                        rho *= factor;
                        p.div_(factor);
                        su.div_(factor);
                        e.div_(factor);
                    }
                }
            }
            yPrev?.Dispose();
            yPrev = null;
            bool keep = (it + 1) % CheckEvery == 0 || it + 1 == MaximumNumberOfIterations;
            if (keep) yPrev = y.MoveToOuterDisposeScope();
            cPrev?.Dispose();
            cPrev = null;
            if (keep) cPrev = c;
            else c.Dispose();
            c = cNew.MoveToOuterDisposeScope();
            proj.Dispose();
            proj = projNew.MoveToOuterDisposeScope();
            if (converged) break;
        }
        return (ToSparseCodes(c), it, converged);
    }

    /// <summary>G = X<sup>T</sup>X = V diag(s²) V<sup>T</sup>: thin SVD of X when D &lt; N (O(D² N)), eigendecomposition of G otherwise (O(N³)).</summary>
    /// <param name="x">D x N.</param>
    internal static (Tensor V, Tensor S2) Factor(Tensor x)
    {
        long d = x.shape[0], n = x.shape[1];
        if (d < n)
        {
            var (_, s, vh) = linalg.svd(x.to(ScalarType.Float64), fullMatrices: false);
            return (vh.t().to(x.dtype).contiguous(), s.square().to(x.dtype));
        }
        var g = x.t().to(ScalarType.Float64).matmul(x.to(ScalarType.Float64));
        var (w, vec) = linalg.eigh(g);
        return (vec.to(x.dtype).contiguous(), w.clamp_min(0).to(x.dtype));
    }

    /// <summary>μ<sub>z</sub> = min<sub>i</sub> max<sub>j≠i</sub> |x<sub>i</sub><sup>T</sup>x<sub>j</sub>|, computed in blocks of columns (no N x N Gram kept); zero vectors are skipped.</summary>
    /// <param name="x">D x N.</param>
    internal static double MuZ(Tensor x)
    {
        int n = (int)x.shape[1];
        double best = double.PositiveInfinity;
        const int block = 2048;
        for (int start = 0; start < n; start += block)
        {
            using var scope = NewDisposeScope();
            int len = Math.Min(block, n - start);
            var g = x.t().matmul(x[.., start..(start + len)]).abs_(); // N x len
            g[TensorIndex.Slice(start, start + len), TensorIndex.Colon].diagonal().zero_();
            var colMax = g.amax(0);
            var positive = colMax[colMax > 0];
            if (positive.numel() > 0) best = Math.Min(best, positive.min().to(ScalarType.Float64).ToDouble());
        }
        return double.IsFinite(best) ? best : 1.0;
    }
}

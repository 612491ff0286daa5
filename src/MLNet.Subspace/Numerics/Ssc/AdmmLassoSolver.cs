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
/// <para>Numerical rank: only the eigenpairs with s² &gt; <see cref="RankTolerance"/> · max s² are kept (r of them), so the
/// iteration is exact ADMM on the Lasso of X<sub>r</sub>, the best rank-r approximation of X (Eckart–Young;
/// ||X − X<sub>r</sub>||<sub>2</sub>² ≤ RankTolerance · ||X||<sub>2</sub>²). On a union of low-dimensional subspaces with mild noise
/// r is about the sum of the subspace dimensions, not min(D, N).</para>
/// <para>Cost: factor O(min(D,N)² max(D,N)) once; each iteration O(r N²) (two thin GEMMs and a handful of elementwise
/// passes over N x N), run on one intra-op thread (the many short parallel regions of two threads cost more than they gained
/// on the shared 2-core machine); memory ~7 N² elements. Stops on Boyd et al.'s residuals (Foundations and Trends in ML 2011, §3.3):
/// ||Z − C||<sub>F</sub> ≤ N ε<sub>abs</sub> + ε<sub>rel</sub> max(||Z||<sub>F</sub>, ||C||<sub>F</sub>) and
/// ρ||C − C<sub>prev</sub>||<sub>F</sub> ≤ N ε<sub>abs</sub> + ε<sub>rel</sub> ρ||U||<sub>F</sub> (ε<sub>abs</sub> = <see cref="Tolerance"/>,
/// ε<sub>rel</sub> = <see cref="RelativeTolerance"/>; checked every <see cref="CheckEvery"/> iterations), or at
/// <see cref="MaximumNumberOfIterations"/>.</para>
/// </remarks>
public sealed class AdmmLassoSolver : SelfExpressionSolver
{
    /// <summary>Defaults, defined once.</summary>
    public static class Defaults
    {
        /// <summary>α: λ = α/μ<sub>z</sub> (800 as in Elhamifar–Vidal's motion experiments and the peer).</summary>
        public const double Alpha = 800;
        /// <summary>Boyd's ε<sub>abs</sub>: the absolute part of both residual tests, per element (the Frobenius bound is N ε<sub>abs</sub>).</summary>
        public const double Tolerance = 2e-4;
        /// <summary>Boyd's ε<sub>rel</sub>: the relative part of both residual tests.</summary>
        public const double RelativeTolerance = 1e-2;
        /// <summary>Eigenpairs of G with s² at most this share of the largest are dropped (the numerical rank; see docs/ssc.md for the measurement behind it).</summary>
        public const double RankTolerance = 1e-2;
        /// <summary>Iteration cap.</summary>
        public const int MaximumNumberOfIterations = 200;
        /// <summary>Initial ADMM penalty ρ as a multiple of α (Elhamifar–Vidal use ρ = α; α/4 lowered the objective fastest on the benchmark, see docs/ssc.md).</summary>
        public const double PenaltyScale = 0.25;
        /// <summary>Residual balancing of ρ (Boyd et al. §3.4.1: ×2 or ÷2 when one residual is 10× the other), on by default since
        /// the stop uses Boyd's residuals (see docs/ssc.md for the measurement).</summary>
        public const bool AdaptivePenalty = true;
        /// <summary>Iterations between residual checks (and penalty updates).</summary>
        public const int CheckEvery = 5;
    }

    /// <inheritdoc />
    public override string Name => "admm";

    /// <summary>α in λ = α / μ<sub>z</sub>; larger means a tighter fit and denser codes.</summary>
    public double Alpha { get; init; } = Defaults.Alpha;

    /// <summary>Adds the affine constraint 1<sup>T</sup>c<sub>i</sub> = 1 (affine subspaces).</summary>
    public bool Affine { get; init; }

    /// <summary>Boyd's ε<sub>abs</sub> of the stopping test, per element (≥ 0).</summary>
    public double Tolerance { get; init; } = Defaults.Tolerance;

    /// <summary>Boyd's ε<sub>rel</sub> of the stopping test (≥ 0; 0 leaves the absolute test alone).</summary>
    public double RelativeTolerance { get; init; } = Defaults.RelativeTolerance;

    /// <summary>Relative eigenvalue threshold of the numerical rank, in [0, 1): eigenpairs of G = X<sup>T</sup>X with
    /// s² ≤ RankTolerance · max s² are dropped (0 keeps every one, the full factor).</summary>
    public double RankTolerance { get; init; } = Defaults.RankTolerance;

    /// <summary>The numerical rank r of the last solve (number of eigenpairs kept).</summary>
    public int Rank { get; private set; }

    /// <summary>Iteration cap; the result says whether it was reached.</summary>
    public int MaximumNumberOfIterations { get; init; } = Defaults.MaximumNumberOfIterations;

    /// <summary>Initial penalty ρ = α · PenaltyScale (any ρ keeps the Z-step exact; it only changes the speed of convergence).</summary>
    public double PenaltyScale { get; init; } = Defaults.PenaltyScale;

    /// <summary>Residual balancing of the penalty ρ (×2 or ÷2 when the primal residual ||Z − C||<sub>F</sub> is 10× the dual
    /// ρ||C − C<sub>prev</sub>||<sub>F</sub> or the other way round, at each check); exact because G is factored. Default <see cref="Defaults.AdaptivePenalty"/>.</summary>
    public bool AdaptivePenalty { get; init; } = Defaults.AdaptivePenalty;

    /// <summary>How often the residuals are computed (a check costs about as many N x N passes as two iterations).</summary>
    public int CheckEvery { get; init; } = Defaults.CheckEvery;

    /// <summary>Called after each residual check with (iteration, primal, dual, ρ, objective ||C||₁ + λ/2||X − XC||²); for diagnostics.</summary>
    public Action<int, double, double, double, double>? Trace { get; init; }

    /// <inheritdoc />
    public override long EstimateBytes(int n, int d) => 7L * n * n * ElementBytes + 4L * n * Math.Min(n, d) * ElementBytes;

    /// <inheritdoc />
    protected override (SparseMatrix, int, bool) SolveColumns(Tensor x)
    {
        if (!(Alpha > 0)) throw new ArgumentOutOfRangeException(nameof(Alpha), $"The 'Alpha' option of AdmmLassoSolver must be > 0. Got {Alpha} instead.");
        if (MaximumNumberOfIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaximumNumberOfIterations), $"The 'MaximumNumberOfIterations' option of AdmmLassoSolver must be 1 or more. Got {MaximumNumberOfIterations} instead.");
        if (!(RankTolerance >= 0 && RankTolerance < 1)) throw new ArgumentOutOfRangeException(nameof(RankTolerance), $"The 'RankTolerance' option of AdmmLassoSolver must be in [0, 1). Got {RankTolerance} instead.");
        if (!(Tolerance >= 0 && RelativeTolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(Tolerance), $"The 'Tolerance' and 'RelativeTolerance' options of AdmmLassoSolver must be 0 or more. Got {Tolerance} and {RelativeTolerance} instead.");
        double lambda = Alpha / MuZ(x);
        // The factor and the iterations are QRs, thin GEMMs and elementwise passes over N x N, ~25 parallel regions per
        // iteration: with two OpenMP threads each region waits for both, which on the shared 2-core machine made the solve
        // 2-5x slower than with one (measured at load 6-16; SymmetricEigensolver does the same for its Krylov work).
        int threads = get_num_threads();
        set_num_threads(1);
        try { return Iterate(x, lambda); }
        finally { set_num_threads(threads); }
    }

    /// <summary>Factor and ADMM iterations (the body of <see cref="SolveColumns"/>, on one intra-op thread).</summary>
    private (SparseMatrix, int, bool) Iterate(Tensor x, double lambda)
    {
        int n = (int)x.shape[1];
        var (v, s2) = Factor(x, RankTolerance);  // G ≈ V diag(s2) V^T, V^T V = I (r columns)
        int r = (int)v.shape[1];
        Rank = r;
        double rho = Alpha * PenaltyScale;
        var opts = (dtype: x.dtype, device: x.device);
        // Va = [V, 1]: one thin GEMM gives both Vᵀ C and 1ᵀ C.
        var va = cat([v, ones(n, 1, dtype: opts.dtype, device: opts.device)], 1);
        var vat = va.t().contiguous();
        var vt = v.t().contiguous();
        var vtOnes = vt.sum(1, keepdim: true);  // Vᵀ1, r x 1
        var vtv = vt.matmul(v);                  // VᵀV (I up to rounding), formed once rather than every iteration
        var c = zeros(n, n, dtype: opts.dtype, device: opts.device);
        var p = zeros(r, n, dtype: opts.dtype, device: opts.device);  // Vᵀ U   (U = Λ/ρ, the scaled dual, never formed)
        var su = zeros(1, n, dtype: opts.dtype, device: opts.device); // 1ᵀ U
        var e = zeros(1, n, dtype: opts.dtype, device: opts.device);  // scaled dual of 1ᵀZ = 1ᵀ (affine only)
        var proj = vat.matmul(c);                                      // [Vᵀ C; 1ᵀ C]
        Tensor? yPrev = null; // Y of the previous iteration, kept only before a check
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
            Tensor left = v, right = w, vtLeft = vtv, onesLeft = vtOnes.t(), zMinusR;
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
                vtLeft = cat([vtv, vt.matmul(a)], 1);
                onesLeft = cat([onesLeft, a.sum(0, keepdim: true)], 1);
            }
            zMinusR = right;
            var y = addmm(c, left, zMinusR, 1, 1);                     // N x N: one write
            double t = 1.0 / rho;
            var cNew = nn.functional.softshrink(y, t);                 // C-step: prox of ||·||₁ with diag(C) = 0
            cNew.diagonal().zero_();
            var projNew = vat.matmul(cNew);
            // Vᵀ U_new = Vᵀ Y − Vᵀ C_new, with Vᵀ Y = Vᵀ C + Vᵀ(left)(right).
            var vtY = vtc + vtLeft.matmul(right);
            var onesY = onesC + onesLeft.matmul(right);
            p.copy_(vtY - projNew[..r]);
            su.copy_(onesY - projNew[r..]);
            if (onesZ is not null) e.add_(onesZ - 1);
            bool check = it % CheckEvery == 0 || it == MaximumNumberOfIterations;
            if (check && yPrev is not null)
            {
                // Primal Z − C_new = U_new − U_old = (Y − C_new) − (Y_prev − C), dual ρ(C_new − C), U_new = Y − C_new, where C is
                // this iteration's input (the previous iteration's C_new; until this change the check read the C of two iterations
                // back, which overstated both residuals).
                // In place where a buffer is not needed again (each N x N temporary is a pass over memory).
                var du = y - cNew;
                double uNorm = du.norm().ToDouble();
                du.sub_(yPrev).add_(c);
                double primal = du.norm().ToDouble();
                if (onesZ is not null) primal = double.Hypot(primal, (cNew.sum(0, keepdim: false) - 1).norm().ToDouble());
                double zNorm = du.add_(cNew).norm().ToDouble(); // Z = C_new + (Z − C_new)
                double dual = rho * c.sub_(cNew).norm().ToDouble(); // C is not read after this check
                double cNorm = cNew.norm().ToDouble();
                double primalBound = n * Tolerance + RelativeTolerance * Math.Max(cNorm, zNorm);
                double dualBound = n * Tolerance + RelativeTolerance * rho * uNorm;
                if (Trace is not null) Trace(it, primal, dual, rho, cNew.abs().sum().ToDouble() + lambda / 2 * (x - x.matmul(cNew)).square().sum().ToDouble());
                if (primal <= primalBound && dual <= dualBound) converged = true;
                else if (AdaptivePenalty)
                {
                    double factor = primal > 10 * dual ? 2 : dual > 10 * primal ? 0.5 : 1;
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
            c.Dispose();
            c = cNew.MoveToOuterDisposeScope();
            proj.Dispose();
            proj = projNew.MoveToOuterDisposeScope();
            if (converged) break;
        }
        return (ToSparseCodes(c), it, converged);
    }

    /// <summary>
    /// G = X<sup>T</sup>X ≈ V diag(s²) V<sup>T</sup> over the eigenpairs with s² &gt; <paramref name="rankTolerance"/> · max s², in the
    /// work's element type. With a tolerance, by a randomized range finder (Halko, Martinsson &amp; Tropp 2011, Alg. 4.4):
    /// a seeded N x ℓ Gaussian block through <see cref="PowerIterations"/> + 1 products with G (each X<sup>T</sup>(X·), O(D N ℓ),
    /// re-orthonormalised by QR), then Rayleigh–Ritz on the ℓ x ℓ matrix (XQ)<sup>T</sup>(XQ); ℓ starts at 64 and doubles until the
    /// smallest Ritz value is below the threshold (so every eigenpair above it lies in the block), up to N / 4, beyond which
    /// the full factor is cheaper. The kept Ritz pairs define the rank-r matrix the ADMM then solves exactly. Without a
    /// tolerance, or past N / 4: thin SVD of X when D &lt; N (O(D² N)), eigendecomposition of G otherwise (O(N² D) + O(N³)).
    /// Float32 eigh took 1.7 s at N = 1,000 where float64 took 18 s here (libtorch's LAPACK, 2 shared cores), hence the
    /// work's element type throughout.
    /// </summary>
    /// <param name="x">D x N.</param>
    /// <param name="rankTolerance">Relative eigenvalue threshold in [0, 1); 0 keeps every eigenpair (zero ones included).</param>
    internal static (Tensor V, Tensor S2) Factor(Tensor x, double rankTolerance = 0)
    {
        long d = x.shape[0], n = x.shape[1];
        if (rankTolerance > 0)
            for (long width = Math.Min(64, n); width <= n / 4; width *= 2)
            {
                using var scope = NewDisposeScope();
                using var generator = new Generator(RangeFinderSeed);
                var q = linalg.qr(randn(n, width, ScalarType.Float64, generator: generator).to(x.dtype, x.device)).Q;
                for (int power = 0; power <= PowerIterations; power++)
                    q = linalg.qr(x.t().matmul(x.matmul(q))).Q;
                var xq = x.matmul(q);
                var (theta, w) = linalg.eigh(xq.t().matmul(xq)); // ascending
                double top = theta[-1].ToDouble();
                if (theta[0].ToDouble() > rankTolerance * top) continue; // the block may miss eigenpairs above the threshold
                var keep = (theta > rankTolerance * top).nonzero().squeeze(1);
                if (keep.numel() == 0) keep = tensor(new long[] { width - 1 }, device: x.device); // all-zero data: one (zero) pair keeps the shapes valid
                var v = q.matmul(w.index_select(1, keep)).contiguous();
                return (v.MoveToOuterDisposeScope(), theta.index_select(0, keep).clamp_min(0).MoveToOuterDisposeScope());
            }
        Tensor vectors, s2;
        if (d < n)
        {
            var (_, s, vh) = linalg.svd(x, fullMatrices: false);
            (vectors, s2) = (vh.t(), s.square());
        }
        else
        {
            var (w, vec) = linalg.eigh(x.t().matmul(x));
            (vectors, s2) = (vec, w.clamp_min(0));
        }
        if (rankTolerance > 0)
        {
            double top = s2.max().ToDouble();
            var keep = (s2 > rankTolerance * top).nonzero().squeeze(1);
            if (keep.numel() == 0) keep = s2.argmax().unsqueeze(0);
            (vectors, s2) = (vectors.index_select(1, keep), s2.index_select(0, keep));
        }
        return (vectors.contiguous(), s2);
    }

    /// <summary>Products with G after the first one in the range finder of <see cref="Factor"/> (power iterations; each sharpens the
    /// kept eigenvectors by the ratio of the first dropped eigenvalue to the smallest kept one).</summary>
    internal const int PowerIterations = 2;

    /// <summary>Seed of the range finder's Gaussian block: the same data give the same factor.</summary>
    private const ulong RangeFinderSeed = 0x5eed;

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

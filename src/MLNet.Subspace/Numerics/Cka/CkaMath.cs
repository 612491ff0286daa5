using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Cka;

/// <summary>
/// Centered kernel alignment (Kornblith et al. 2019) as small functions that compose:
/// <c>Cka(GramLinear(x), GramLinear(y))</c>. Inputs are TorchSharp tensors with one sample per row
/// (N x d) or N x N Gram matrices; every sum is accumulated in float64 whatever the input dtype.
/// </summary>
/// <remarks>
/// <para>CKA(K, L) = HSIC(K, L) / sqrt(HSIC(K, K) HSIC(L, L)). The biased HSIC is
/// tr(K H L H) / (N-1)^2 with H = I - 11^T/N; the debiased one is the U-statistic of Song et al.
/// (2012), which can be negative. Normalisations cancel in CKA, so the functions below work with
/// the inner product of centred Gram matrices and only divide where an HSIC value is returned.</para>
/// <para>Degenerate inputs never give a silent number: a constant representation or an all-zero
/// kernel has a zero centred Gram matrix (CKA would be 0/0) and a debiased self-HSIC that is not
/// positive has no square root; both throw a <see cref="DegenerateCkaException"/> whose message
/// names the input and the reason. Row-count mismatches throw an <see cref="ArgumentException"/>
/// naming both counts.</para>
/// <para>References: [1] Kornblith, Norouzi, Lee, Hinton, "Similarity of Neural Network
/// Representations Revisited", ICML 2019. [2] Song, Smola, Gretton, Bedo, Borgwardt, "Feature
/// Selection via Dependence Maximization", JMLR 2012. [3] Nguyen, Raghu, Kornblith, "Do Wide and
/// Deep Networks Learn the Same Things?", ICLR 2021 (minibatch CKA).</para>
/// </remarks>
public static class CkaMath
{
    /// <summary>The default RBF bandwidth as a fraction of the median distance (σ² = t² median d², Kornblith et al.'s default): 1.</summary>
    public const double DefaultRbfThreshold = 1.0;

    /// <summary>Relative size (squared Frobenius norms) under which a centred Gram matrix counts as zero.</summary>
    internal const double ZeroTolerance = 1e-24;

    /// <summary>The linear Gram matrix X X^T in float64. Cost O(N^2 d) time, O(N^2) memory.</summary>
    /// <param name="x">An N x d matrix of features, one sample per row.</param>
    /// <returns>The N x N Gram matrix (float64).</returns>
    public static Tensor GramLinear(Tensor x)
    {
        CheckMatrix(x, nameof(x));
        using var scope = NewDisposeScope();
        var x64 = x.to_type(float64);
        return x64.mm(x64.t()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The RBF Gram matrix exp(-d2 / (2 threshold^2 median(d2))), d2 the squared distances
    /// (the median is NumPy's: over all N^2 entries, diagonal included, averaging the two middle
    /// values). Cost O(N^2 d + N^2 log N^2) time, O(N^2) memory.
    /// </summary>
    /// <param name="x">An N x d matrix of features, one sample per row.</param>
    /// <param name="threshold">Bandwidth as a fraction of the median distance; must be positive.</param>
    /// <returns>The N x N Gram matrix (float64).</returns>
    /// <exception cref="DegenerateCkaException">The median squared distance is 0 (more than half the pairs coincide), so no bandwidth exists.</exception>
    public static Tensor GramRbf(Tensor x, double threshold = DefaultRbfThreshold)
    {
        CheckMatrix(x, nameof(x));
        if (!(threshold > 0) || !double.IsFinite(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), $"The RBF 'threshold' must be a finite number greater than 0. Got {threshold} instead.");
        using var scope = NewDisposeScope();
        var x64 = x.to_type(float64);
        var squared = (x64 * x64).sum(1);
        var d2 = squared.unsqueeze(1) + squared.unsqueeze(0) - 2 * x64.mm(x64.t());
        double median = Median(d2);
        if (!(median > 0))
            throw new DegenerateCkaException($"The RBF bandwidth is zero: the median squared distance between the {x.shape[0]} samples is {median}, so more than half of the pairs coincide (a constant or near-constant representation).");
        return (-d2 / (2 * threshold * threshold * median)).exp_().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Centres a symmetric Gram matrix in O(N^2) with row/column means, never forming H.
    /// Biased: H K H. Debiased: the U-statistic centring of [1] (zero diagonal, means over N-2,
    /// corrected by the total over 2(N-1)), whose inner products divided by N(N-3) are the
    /// unbiased HSIC estimates.
    /// </summary>
    /// <param name="gram">An N x N symmetric Gram matrix (not modified).</param>
    /// <param name="debiased">Use the U-statistic centring (needs N &gt; 3).</param>
    /// <returns>A new float64 N x N tensor.</returns>
    public static Tensor CenterGram(Tensor gram, bool debiased = false)
    {
        CheckGram(gram, nameof(gram), debiased);
        var k = gram.to_type(float64, copy: true);
        CenterInPlace(k, debiased);
        return k;
    }

    /// <summary>
    /// Centres float64 symmetric Gram matrices in place (no checks): one N x N matrix, or a stack
    /// (..., N, N) centred all at once (batched ops over the leading dimensions); see <see cref="CenterGram"/>.
    /// </summary>
    internal static void CenterInPlace(Tensor k, bool debiased)
    {
        using var scope = NewDisposeScope();
        long n = k.shape[^1];
        Tensor means;
        if (debiased)
        {
            k.diagonal(0, -2, -1).fill_(0.0);
            means = k.sum([-2L]) / (n - 2);
            means -= means.sum([-1L], keepdim: true) / (2 * (n - 1));
        }
        else
        {
            means = k.mean([-2L]);
            means -= means.mean([-1L], keepdim: true) / 2;
        }
        k.sub_(means.unsqueeze(-1)).sub_(means.unsqueeze(-2));
        if (debiased) k.diagonal(0, -2, -1).fill_(0.0);
    }

    /// <summary>
    /// HSIC of two Gram matrices: biased tr(KHLH)/(N-1)^2 or the debiased U-statistic.
    /// Cost O(N^2) time and memory beyond the inputs. The debiased value can be negative.
    /// </summary>
    /// <param name="gramX">An N x N symmetric Gram matrix.</param>
    /// <param name="gramY">An N x N symmetric Gram matrix over the same samples.</param>
    /// <param name="debiased">Use the unbiased estimator.</param>
    /// <returns>The HSIC estimate.</returns>
    public static double Hsic(Tensor gramX, Tensor gramY, bool debiased = false)
    {
        CheckSameRows(gramX, gramY, "gramX", "gramY");
        using var scope = NewDisposeScope();
        double inner = Dot(CenterGram(gramX, debiased), CenterGram(gramY, debiased));
        return inner / HsicScale(gramX.shape[0], debiased);
    }

    /// <summary>
    /// CKA of two Gram matrices. Cost O(N^2) time and memory beyond the inputs.
    /// </summary>
    /// <param name="gramX">An N x N symmetric Gram matrix.</param>
    /// <param name="gramY">An N x N symmetric Gram matrix over the same samples.</param>
    /// <param name="debiased">Use debiased HSIC (the value can then be negative).</param>
    /// <returns>CKA in [0, 1] for the biased form with positive semi-definite kernels.</returns>
    /// <exception cref="DegenerateCkaException">A centred Gram matrix is zero or a debiased self-HSIC is not positive.</exception>
    public static double Cka(Tensor gramX, Tensor gramY, bool debiased = false)
    {
        CheckSameRows(gramX, gramY, "gramX", "gramY");
        using var scope = NewDisposeScope();
        var kx = CenterGram(gramX, debiased);
        var ky = CenterGram(gramY, debiased);
        double xy = Dot(kx, ky), xx = Dot(kx, kx), yy = Dot(ky, ky);
        CheckSelf(xx, SquaredNorm(gramX), "X", debiased);
        CheckSelf(yy, SquaredNorm(gramY), "Y", debiased);
        return xy / Math.Sqrt(xx * yy);
    }

    /// <summary>
    /// Linear CKA in feature space: ||Y^T X||_F^2 / (||X^T X||_F ||Y^T Y||_F) on column-centred
    /// X and Y, with the debiased correction of [1] when asked. Equal to
    /// <c>Cka(GramLinear(x), GramLinear(y), debiased)</c> at cost O(N (dx dy + dx^2 + dy^2)) time and
    /// O(dx dy + dx^2 + dy^2) memory, so it is the better route when d &lt; N.
    /// </summary>
    /// <param name="x">N x dx features, one sample per row.</param>
    /// <param name="y">N x dy features for the same samples.</param>
    /// <param name="debiased">Use debiased HSIC.</param>
    /// <returns>The linear CKA.</returns>
    /// <exception cref="DegenerateCkaException">A representation is constant or a debiased self-HSIC is not positive.</exception>
    public static double FeatureSpaceLinearCka(Tensor x, Tensor y, bool debiased = false)
    {
        CheckMatrix(x, nameof(x));
        CheckMatrix(y, nameof(y));
        CheckSameRows(x, y, "X", "Y");
        long n = x.shape[0];
        if (debiased && n < 4) throw new ArgumentException($"Debiased HSIC needs at least 4 samples. Got {n} instead.");
        using var scope = NewDisposeScope();
        var xc = x.to_type(float64);
        var yc = y.to_type(float64);
        double scaleX = Math.Pow(SquaredNorm(xc), 2), scaleY = Math.Pow(SquaredNorm(yc), 2);
        xc = xc - xc.mean([0], keepdim: true);
        yc = yc - yc.mean([0], keepdim: true);
        double xy = SquaredNorm(yc.t().mm(xc));
        double xx = SquaredNorm(xc.t().mm(xc));
        double yy = SquaredNorm(yc.t().mm(yc));
        if (debiased)
        {
            var rowsX = (xc * xc).sum(1);
            var rowsY = (yc * yc).sum(1);
            double normX = rowsX.sum().item<double>(), normY = rowsY.sum().item<double>();
            double rxy = Dot(rowsX, rowsY), rxx = Dot(rowsX, rowsX), ryy = Dot(rowsY, rowsY);
            xy = DebiasedDot(xy, rxy, normX, normY, n);
            xx = DebiasedDot(xx, rxx, normX, normX, n);
            yy = DebiasedDot(yy, ryy, normY, normY, n);
        }
        CheckSelf(xx, scaleX, "X", debiased);
        CheckSelf(yy, scaleY, "Y", debiased);
        return xy / Math.Sqrt(xx * yy);
    }

    /// <summary>
    /// CKA between two representations with the chosen kernel. The linear kernel takes the
    /// feature-space route when max(dx, dy) &lt;= N (cost O(N d^2)) and the Gram route otherwise:
    /// upper-triangular b x b tiles of both Grams (cost N^2 (dx + dy) flops, O(b^2) memory, no N x N matrix;
    /// <see cref="LinearKernelProducts"/>); <paramref name="forceGram"/> forces the Gram route. RBF forms both N x N Grams.
    /// </summary>
    /// <param name="x">N x dx features, one sample per row.</param>
    /// <param name="y">N x dy features for the same samples.</param>
    /// <param name="kernel">Linear or RBF.</param>
    /// <param name="threshold">RBF bandwidth as a fraction of the median distance.</param>
    /// <param name="debiased">Use debiased HSIC.</param>
    /// <param name="forceGram">Use the Gram route even when the feature route is cheaper.</param>
    /// <returns>The CKA value.</returns>
    public static double Compute(Tensor x, Tensor y, CkaKernel kernel = CkaKernel.Linear, double threshold = DefaultRbfThreshold, bool debiased = false, bool forceGram = false)
    {
        CheckMatrix(x, nameof(x));
        CheckMatrix(y, nameof(y));
        CheckSameRows(x, y, "X", "Y");
        using var scope = NewDisposeScope();
        if (kernel == CkaKernel.Linear)
            return !forceGram && UseFeatureRoute(x.shape[0], x.shape[1], y.shape[1]) ? FeatureSpaceLinearCka(x, y, debiased) : TiledLinearCka(x, y, debiased);
        return Cka(Gram(x, kernel, threshold), Gram(y, kernel, threshold), debiased);
    }

    /// <summary>Linear CKA through Gram tiles: the same value as <c>Cka(GramLinear(x), GramLinear(y))</c> without either N x N matrix.</summary>
    private static double TiledLinearCka(Tensor x, Tensor y, bool debiased)
    {
        if (debiased && x.shape[0] < 4) throw new ArgumentException($"Debiased HSIC needs at least 4 samples. Got {x.shape[0]} instead.");
        var products = LinearKernelProducts.Compute([x, y], debiased, CkaMatrix.DefaultMaximumBytes, LinearKernelRoute.GramTiles);
        double xy = products.Centred[1], xx = products.Centred[0], yy = products.Centred[3];
        CheckSelf(xx, products.RawScale[0], "X", debiased);
        CheckSelf(yy, products.RawScale[1], "Y", debiased);
        return xy / Math.Sqrt(xx * yy);
    }

    /// <summary>The Gram matrix of <paramref name="x"/> for <paramref name="kernel"/>.</summary>
    /// <param name="x">N x d features.</param>
    /// <param name="kernel">Linear or RBF.</param>
    /// <param name="threshold">RBF bandwidth as a fraction of the median distance.</param>
    /// <returns>The N x N float64 Gram matrix.</returns>
    public static Tensor Gram(Tensor x, CkaKernel kernel, double threshold = DefaultRbfThreshold) => kernel switch
    {
        CkaKernel.Linear => GramLinear(x),
        CkaKernel.Rbf => GramRbf(x, threshold),
        _ => throw new ArgumentOutOfRangeException(nameof(kernel), $"Unknown kernel {kernel}."),
    };

    /// <summary>Whether <see cref="Compute"/> takes the linear feature-space route: max(dx, dy) &lt;= N.</summary>
    /// <param name="n">Samples.</param>
    /// <param name="dx">Features of X.</param>
    /// <param name="dy">Features of Y.</param>
    /// <returns>True for the feature route.</returns>
    public static bool UseFeatureRoute(long n, long dx, long dy) => Math.Max(dx, dy) <= n;

    /// <summary>The factor that turns an inner product of centred Gram matrices into HSIC.</summary>
    internal static double HsicScale(long n, bool debiased) => debiased ? (double)n * (n - 3) : (double)(n - 1) * (n - 1);

    /// <summary>Kornblith's debiased dot-product helper (the U-statistic from feature-space quantities).</summary>
    private static double DebiasedDot(double xty, double rowsDot, double normX, double normY, long n)
        => xty - n / (n - 2.0) * rowsDot + normX * normY / ((n - 1.0) * (n - 2.0));

    /// <summary>The reason a self inner product makes CKA undefined, or null when it is usable.</summary>
    /// <param name="self">&lt;Kc, Kc&gt; (or the debiased estimate).</param>
    /// <param name="scale">A size reference (squared norm of the uncentred input); 0 for an all-zero input.</param>
    /// <param name="name">The input's name in the message.</param>
    /// <param name="debiased">Whether the estimate is the U-statistic.</param>
    internal static string? DegenerateReason(double self, double scale, string name, bool debiased)
    {
        if (double.IsNaN(self)) return $"HSIC({name}, {name}) is NaN (the input holds NaN or infinite values)";
        if (scale == 0) return $"'{name}' is all zeros (an all-zero kernel or graph has no centred part, so CKA is 0/0)";
        if (Math.Abs(self) <= ZeroTolerance * scale)
            return $"'{name}' is constant: its centred Gram matrix is zero (relative size {Math.Sqrt(Math.Abs(self) / scale):G3}), so CKA is 0/0";
        if (debiased && self <= 0)
            return $"the debiased HSIC({name}, {name}) = {self:G6} is not positive (the U-statistic can be negative for tiny or near-constant samples), so it has no square root";
        return null;
    }

    private static void CheckSelf(double self, double scale, string name, bool debiased)
    {
        if (DegenerateReason(self, scale, name, debiased) is string reason)
            throw new DegenerateCkaException($"CKA is undefined: {reason}.");
    }

    internal static double Dot(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var fa = a.to_type(float64).flatten();
        var fb = b.to_type(float64).flatten();
        return fa.dot(fb).item<double>();
    }

    internal static double SquaredNorm(Tensor a) => Dot(a, a);

    /// <summary>NumPy's median of all entries: the mean of the two middle values for an even count.</summary>
    internal static double Median(Tensor values)
    {
        using var scope = NewDisposeScope();
        var flat = values.flatten();
        long count = flat.shape[0];
        double lower = flat.kthvalue((count + 1) / 2, 0).values.item<double>();
        if (count % 2 == 1) return lower;
        double upper = flat.kthvalue(count / 2 + 1, 0).values.item<double>();
        return (lower + upper) / 2;
    }

    internal static void CheckMatrix(Tensor x, string name)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        if (x.dim() != 2) throw new ArgumentException($"'{name}' must be a 2-D N x d matrix (one sample per row). Got {x.dim()} dimensions instead.", name);
        if (x.shape[0] < 2) throw new ArgumentException($"'{name}' must have at least 2 rows (samples). Got {x.shape[0]} instead.", name);
    }

    internal static void CheckSameRows(Tensor x, Tensor y, string nameX, string nameY)
    {
        ArgumentNullException.ThrowIfNull(x, nameX);
        ArgumentNullException.ThrowIfNull(y, nameY);
        if (x.shape[0] != y.shape[0])
            throw new ArgumentException($"{nameX} has {x.shape[0]} rows but {nameY} has {y.shape[0]} rows; CKA compares the same N samples, so the row counts must match.");
    }

    internal static void CheckGram(Tensor gram, string name, bool debiased)
    {
        CheckMatrix(gram, name);
        if (gram.shape[0] != gram.shape[1])
            throw new ArgumentException($"'{name}' must be a square N x N Gram matrix. Got {gram.shape[0]}x{gram.shape[1]} instead.", name);
        if (debiased && gram.shape[0] < 4)
            throw new ArgumentException($"Debiased HSIC needs at least 4 samples. Got {gram.shape[0]} instead.", name);
        // Symmetry by a seeded random probe: ||(K - K^T) u|| is 0 for symmetric K and almost surely not
        // otherwise. Two matrix-vector products read K contiguously; an elementwise K - K^T reads one
        // operand with stride N and costs ~10x more at N = 2,000.
        using var scope = NewDisposeScope();
        var g = gram.to_type(float64);
        var u = randn(g.shape[0], float64, generator: new Generator(12345)).to(g.device);
        double asymmetry = (g.mv(u) - g.t().mv(u)).norm().item<double>();
        double size = Math.Sqrt(SquaredNorm(g)) * u.norm().item<double>();
        if (asymmetry > Graphs.GraphChecks.SymmetryTolerance * Math.Max(size, double.Epsilon))
            throw new ArgumentException($"'{name}' must be symmetric (a Gram matrix or an undirected graph); ||(K - K^T) u|| = {asymmetry:G3} for a random u, against ||K|| ||u|| = {size:G3}.", name);
    }
}

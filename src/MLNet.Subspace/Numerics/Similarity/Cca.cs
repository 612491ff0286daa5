using MLNet.Subspace.Numerics.Cka;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Similarity;

/// <summary>
/// Canonical correlation analysis (Hotelling 1936) between two representations of the same N inputs:
/// X (N x dx) and Y (N x dy), one input per row, any dtype (float64 inside).
/// </summary>
/// <remarks>
/// <para>Columns are centred; each centred matrix is reduced to an orthonormal basis of its column
/// space by a thin SVD, X_c = U_x S_x V_x^T, keeping the numerical rank r (singular values above
/// s_max max(N, d) eps, NumPy's <c>matrix_rank</c> rule), so constant or duplicated columns are not
/// an error. The canonical correlations are the singular values of U_x^T U_y, descending, min(r_x, r_y)
/// of them, clamped to [0, 1] against rounding.</para>
/// <para>With a ridge λ &gt; 0 (regularised CCA, for d &gt; N where every unregularised correlation is 1)
/// they are the singular values of (X_c^T X_c + λI)^(-1/2) X_c^T Y_c (Y_c^T Y_c + λI)^(-1/2), which is
/// diag(s_x / sqrt(s_x² + λ)) U_x^T U_y diag(s_y / sqrt(s_y² + λ)) up to orthogonal factors. λ is
/// absolute, on the unnormalised scatter matrix X_c^T X_c (not the covariance), so it is not scale-free.</para>
/// <para>Cost: the two thin SVDs, O(N dx min(N, dx) + N dy min(N, dy)), then O(N r_x r_y) for U_x^T U_y
/// and O(r_x r_y min(r_x, r_y)) for its singular values. Memory O(N (dx + dy) + r_x r_y).</para>
/// <para>Degenerate inputs: fewer than 2 rows, different row counts, NaN or infinite entries or a ridge
/// that is negative throw an <see cref="ArgumentException"/>; a representation whose every column is
/// constant (centred rank 0) throws a <see cref="DegenerateCkaException"/> saying so.</para>
/// </remarks>
public static class Cca
{
    /// <summary>Relative size (against the uncentred Frobenius norm) under which a centred representation counts as zero.</summary>
    internal const double ConstantTolerance = 1e-12;

    /// <summary>The float64 machine epsilon, 2^-52 (NumPy's <c>finfo(float64).eps</c>).</summary>
    internal const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>The canonical correlations, descending, min(r_x, r_y) of them (r the numerical ranks).</summary>
    /// <param name="x">N x dx features, one input per row.</param>
    /// <param name="y">N x dy features for the same inputs.</param>
    /// <param name="ridge">λ &gt;= 0 added to X_c^T X_c and Y_c^T Y_c (0: plain CCA).</param>
    /// <returns>The correlations ρ_1 &gt;= ρ_2 &gt;= ... in [0, 1].</returns>
    /// <exception cref="DegenerateCkaException">A representation is constant (centred rank 0).</exception>
    public static double[] Correlations(Tensor x, Tensor y, double ridge = 0.0)
    {
        CheckPair(x, y, "CCA");
        CheckRidge(ridge);
        using var scope = NewDisposeScope();
        return PairCorrelations(Prepare(x, "X", ridge), Prepare(y, "Y", ridge));
    }

    /// <summary>R²_CCA: the mean of the squared canonical correlations, in [0, 1]; 1 for X against itself.</summary>
    /// <param name="x">N x dx features, one input per row.</param>
    /// <param name="y">N x dy features for the same inputs.</param>
    /// <param name="ridge">λ &gt;= 0 (see <see cref="Correlations"/>).</param>
    /// <returns>mean_i ρ_i².</returns>
    /// <remarks>The sum of the squared correlations is ||U_x^T U_y||_F², so no SVD of the r_x x r_y product is needed: O(N r_x r_y) beside the two bases.</remarks>
    public static double MeanSquaredCorrelation(Tensor x, Tensor y, double ridge = 0.0)
    {
        CheckPair(x, y, "CCA");
        CheckRidge(ridge);
        using var scope = NewDisposeScope();
        return PairMeanSquaredCorrelation(Prepare(x, "X", ridge), Prepare(y, "Y", ridge));
    }

    /// <summary>The mean canonical correlation, in [0, 1]; 1 for X against itself.</summary>
    /// <param name="x">N x dx features, one input per row.</param>
    /// <param name="y">N x dy features for the same inputs.</param>
    /// <param name="ridge">λ &gt;= 0 (see <see cref="Correlations"/>).</param>
    /// <returns>mean_i ρ_i.</returns>
    public static double MeanCorrelation(Tensor x, Tensor y, double ridge = 0.0)
        => Correlations(x, y, ridge).Average();

    /// <summary>
    /// A representation's centred column space as an N x k matrix whose product with another's, <c>Basis_x^T Basis_y</c>,
    /// is all the pair step of CCA, SVCCA, PWCCA, Procrustes and the shape metric needs: orthonormal directions scaled by
    /// the measure's weights, or for Procrustes the centred matrix itself scaled to unit norm (same singular values, no SVD).
    /// </summary>
    /// <param name="basis">N x k: the left singular vectors of the centred matrix, column i scaled by the measure's weight w_i (Procrustes: X_c / ||X_c||_F).</param>
    /// <param name="count">How many correlations a pair with this layer has at most (the rank, or SVCCA's kept k).</param>
    /// <param name="loadings">k x d: S V^T, the centred columns in the basis (PWCCA's weights need them); null otherwise.</param>
    /// <param name="rows">N.</param>
    internal sealed class Directions(Tensor basis, int count, Tensor? loadings, long rows) : PreparedLayer(rows)
    {
        /// <summary>N x k weighted orthonormal directions.</summary>
        public Tensor Basis { get; } = basis;

        /// <summary>The rank, or SVCCA's kept k.</summary>
        public int Count { get; } = count;

        /// <summary>k x d loadings S V^T (PWCCA), or null.</summary>
        public Tensor? Loadings { get; } = loadings;

        /// <inheritdoc/>
        protected override IEnumerable<Tensor?> Owned => [Basis, Loadings];
    }

    /// <summary>CCA's per-layer work: the centred basis, scaled by s / sqrt(s² + λ) under a ridge. Cost O(N d min(N, d)).</summary>
    internal static Directions Prepare(Tensor x, string name, double ridge)
    {
        var basis = CentredBasis(x, name, "CCA");
        var u = ridge > 0 ? basis.U * (basis.S / (basis.S * basis.S + ridge).sqrt()).unsqueeze(0) : basis.U;
        return new Directions(u, basis.Rank, null, x.shape[0]);
    }

    /// <summary>The canonical correlations of two prepared layers: the singular values of Basis_x^T Basis_y. Cost O(N k_x k_y + k_x k_y min(k_x, k_y)).</summary>
    internal static double[] PairCorrelations(Directions x, Directions y)
        => ToClampedArray(linalg.svdvals(x.Basis.t().mm(y.Basis)), Math.Min(x.Count, y.Count));

    /// <summary>mean ρ² of two prepared layers as ||Basis_x^T Basis_y||_F² / min(k_x, k_y). Cost O(N k_x k_y).</summary>
    internal static double PairMeanSquaredCorrelation(Directions x, Directions y)
    {
        double squares = x.Basis.t().mm(y.Basis).square().sum().item<double>();
        return Math.Clamp(squares / Math.Min(x.Count, y.Count), 0.0, 1.0);
    }

    /// <summary>
    /// The nuclear norm ||M||_* of M = Basis_x^T Basis_y (Procrustes and the shape metric) as the sum of the square roots of
    /// the eigenvalues of the smaller Gram matrix (M^T M or M M^T), values only. Cost O(N k_x k_y) for M,
    /// O(k_max k_min²) for the Gram matrix (a GEMM) and O(k_min³) for its tridiagonal reduction: measured 5-30x faster
    /// than libtorch's SVD of M on this machine (docs/benchmarks.md). Accuracy: an eigenvalue carries an absolute error of
    /// about eps ||M||_2², so a singular value s is off by about eps ||M||_2² / (2 s), at most sqrt(eps) ||M||_2 ≈ 1.5e-8 ||M||_2
    /// for s near 0; the bases keep no structurally zero direction (Procrustes drops the centring direction and cuts
    /// d &gt; N - 1 to N - 1 rows), so only singular values that are tiny in the data reach that bound.
    /// </summary>
    internal static double PairNuclearNorm(Directions x, Directions y)
    {
        var m = x.Basis.t().mm(y.Basis);
        var gram = m.shape[0] >= m.shape[1] ? m.t().mm(m) : m.mm(m.t());
        return linalg.eigvalsh(gram).clamp_min(0).sqrt().sum().item<double>();
    }

    private static void CheckRidge(double ridge)
    {
        if (!(ridge >= 0) || double.IsInfinity(ridge))
            throw new ArgumentOutOfRangeException(nameof(ridge), ridge, $"The CCA ridge must be a finite number >= 0. Got {ridge} instead.");
    }

    /// <summary>A thin SVD of the column-centred representation, cut to its numerical rank.</summary>
    /// <param name="U">N x r orthonormal basis of the centred column space.</param>
    /// <param name="S">The r singular values, descending.</param>
    /// <param name="Vh">r x d right singular vectors.</param>
    /// <param name="Rank">r &gt;= 1.</param>
    internal sealed record Basis(Tensor U, Tensor S, Tensor Vh, int Rank);

    /// <summary>
    /// Centres the columns (float64) and returns their thin SVD over the numerical rank. Allocates in the
    /// caller's dispose scope. Cost O(N d min(N, d)).
    /// </summary>
    /// <exception cref="DegenerateCkaException">The centred matrix is zero (every column constant).</exception>
    internal static Basis CentredBasis(Tensor x, string name, string measure)
    {
        var x64 = x.to_type(float64);
        double size = x64.norm().item<double>();
        var xc = x64 - x64.mean([0], keepdim: true);
        var (u, s, vh) = linalg.svd(xc, fullMatrices: false);
        double top = s.shape[0] == 0 ? 0 : s[0].item<double>();
        if (!(top > ConstantTolerance * size))
            throw new DegenerateCkaException(
                $"{measure} is undefined: every column of '{name}' is constant (its centred rank is 0), so it has no direction to compare; {measure} needs at least one column that varies over the N inputs.");
        double tolerance = top * Math.Max(x.shape[0], x.shape[1]) * MachineEpsilon;
        int rank = (int)(s > tolerance).sum().item<long>();
        return new Basis(u[.., ..rank], s[..rank], vh[..rank, ..], rank);
    }

    /// <summary>
    /// The column-centred float64 matrix and its Frobenius norm, refusing a representation whose every column is constant
    /// (the per-layer half of Procrustes, the alpha = 1 shape metric and the permutation metric). Cost O(N d).
    /// </summary>
    /// <exception cref="DegenerateCkaException">The centred matrix is zero.</exception>
    internal static (Tensor Centred, double Norm) Centred(Tensor x, string name, string measure)
    {
        var x64 = x.to_type(float64);
        double size = x64.norm().item<double>();
        var xc = x64 - x64.mean([0], keepdim: true);
        double norm = xc.norm().item<double>();
        if (!(norm > ConstantTolerance * size))
            throw new DegenerateCkaException(
                $"{measure} is undefined: every column of '{name}' is constant, so the centred representation is zero and cannot be scaled to unit norm; it needs at least one column that varies over the N inputs.");
        return (xc, norm);
    }

    /// <summary>Checks two N x d representations: 2-D, at least 2 rows, the same rows, finite.</summary>
    internal static void CheckPair(Tensor x, Tensor y, string measure)
    {
        CheckOne(x, "X", measure);
        CheckOne(y, "Y", measure);
        if (x.shape[0] != y.shape[0])
            throw new ArgumentException($"X has {x.shape[0]} rows but Y has {y.shape[0]} rows; {measure} compares two representations of the same N inputs, so the row counts must match.");
    }

    /// <summary>Checks one N x d representation: 2-D, at least 2 rows, at least one column, finite.</summary>
    internal static void CheckOne(Tensor x, string name, string measure)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        if (x.dim() != 2)
            throw new ArgumentException($"'{name}' must be a 2-D N x d matrix (one input per row). Got {x.dim()} dimensions instead.", name);
        if (x.shape[0] < 2)
            throw new ArgumentException($"{measure} needs at least 2 inputs (rows) to centre the columns; '{name}' has {x.shape[0]}.", name);
        if (x.shape[1] < 1)
            throw new ArgumentException($"'{name}' has no columns; {measure} needs at least one feature.", name);
        using var scope = NewDisposeScope();
        if (!x.isfinite().all().item<bool>())
            throw new ArgumentException($"'{name}' holds NaN or infinite values; {measure} needs finite features.", name);
    }

    /// <summary>The first <paramref name="count"/> values as doubles, clamped to [0, 1].</summary>
    internal static double[] ToClampedArray(Tensor values, int count)
    {
        var all = values.to_type(float64).cpu().data<double>().ToArray();
        return all.Take(count).Select(v => Math.Clamp(v, 0.0, 1.0)).ToArray();
    }
}

using MLNet.Subspace.Numerics.Cka;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Similarity;

/// <summary>
/// The orthogonal Procrustes distance between two representations of the same N inputs (anatome's and
/// netrep's convention; Ding, Denain, Steinhardt, "Grounding Representation Similarity with Statistical
/// Testing", NeurIPS 2021): min over orthogonal Q of ||X - Y Q||_F² on centred, Frobenius-normalised X, Y.
/// </summary>
/// <remarks>
/// <para>With X, Y column-centred and scaled to ||X||_F = ||Y||_F = 1 (the narrower one zero-padded,
/// which changes nothing below), the distance is ||X||_F² + ||Y||_F² - 2 ||X^T Y||_* = 2 - 2 ||X^T Y||_*,
/// in [0, 2]: 0 when Y is a rotation (or reflection) of X up to shift and scale. It is symmetric and
/// invariant to orthogonal maps of either side, to shifts and to a positive scale. The angular form
/// arccos ||X^T Y||_* is <see cref="ShapeMetric.AngularDistance"/> with alpha = 1.</para>
/// <para>Cost: O(N dx dy) for X^T Y, O(max(dx, dy) min(dx, dy)²) for its smaller Gram matrix and O(min(dx, dy)³) for that
/// matrix's eigenvalues (values only; their square roots are the singular values), with d cut to N - 1 when d &gt;= N;
/// memory O(dx dy). Centring and scaling are the per-layer half (O(N d), plus a QR when d &gt;= N); the pair step is most
/// of the cost.</para>
/// <para>Degenerate inputs: as <see cref="Cca"/>; a representation with every column constant cannot be
/// normalised and throws a <see cref="DegenerateCkaException"/>.</para>
/// </remarks>
public static class Procrustes
{
    /// <summary>The squared-Frobenius Procrustes distance 2 - 2 ||X^T Y||_* on centred, normalised X and Y.</summary>
    /// <param name="x">N x dx features, one input per row.</param>
    /// <param name="y">N x dy features for the same inputs.</param>
    /// <returns>The distance in [0, 2]; 0 for X against itself.</returns>
    /// <exception cref="DegenerateCkaException">A representation is constant.</exception>
    public static double Distance(Tensor x, Tensor y)
        => Math.Clamp(2.0 - 2.0 * NuclearNorm(x, y), 0.0, 2.0);

    /// <summary>The normalised nuclear norm ||X^T Y||_* / (||X||_F ||Y||_F) of the centred representations, in [0, 1].</summary>
    /// <param name="x">N x dx features, one input per row.</param>
    /// <param name="y">N x dy features for the same inputs.</param>
    /// <returns>1 when Y is an orthogonal map of X up to shift and scale.</returns>
    public static double NuclearNorm(Tensor x, Tensor y)
    {
        Cca.CheckPair(x, y, "The Procrustes distance");
        using var scope = NewDisposeScope();
        return PairNuclearNorm(Prepare(x, "X"), Prepare(y, "Y"));
    }

    /// <summary>
    /// Procrustes' per-layer work: X_c / ||X_c||_F in N - 1 rows, so the pair step is the nuclear norm of
    /// X_c^T Y_c / (||X_c|| ||Y_c||). The rows are the coordinates of X_c in an orthonormal basis of the vectors orthogonal
    /// to the all-ones vector (one Householder reflection, which X_c^T Y_c does not see): centring leaves no component
    /// along it, so keeping it would give every pair's product a structurally zero singular value once d &gt;= N, which the
    /// Gram route of <see cref="Cca.PairNuclearNorm"/> resolves only to sqrt(eps). When d &gt; N - 1 the layer is cut to
    /// (N - 1) x (N - 1) by a QR factorisation of its transpose (X~ = R^T Q^T, so X~^T Y~ = Q R Y~ has the singular values
    /// of R Y~). No SVD per layer: while d &lt;= N a basis would not shrink the pair's product. Cost O(N d), plus
    /// O(d N²) for the QR when d &gt;= N.
    /// </summary>
    internal static Cca.Directions Prepare(Tensor x, string name) => Prepare(x, name, "The Procrustes distance");

    /// <summary><see cref="Prepare(Tensor, string)"/> with the measure named in the message (the alpha = 1 shape metric shares it).</summary>
    internal static Cca.Directions Prepare(Tensor x, string name, string measure)
    {
        var (xc, norm) = Cca.Centred(x, name, measure);
        var rows = WithoutMeanDirection(xc);
        if (rows.shape[1] > rows.shape[0])
        {
            var (_, r) = linalg.qr(rows.t());
            rows = r.t();
        }
        return new Cca.Directions(rows / norm, (int)x.shape[1], null, x.shape[0]);
    }

    /// <summary>
    /// The centred N x d matrix in N - 1 rows with the same inner products between columns: rows 1.. of H X_c for the
    /// Householder reflection H that maps 1/sqrt(N) to e_1 (its row 0 is 1^T X_c / sqrt(N) = 0). Cost O(N d).
    /// </summary>
    internal static Tensor WithoutMeanDirection(Tensor centred)
    {
        long n = centred.shape[0];
        double root = Math.Sqrt(n);
        // v = 1/sqrt(N) - e_1, H = I - 2 v v^T / (v^T v) with v^T v = 2 - 2/sqrt(N); rows i >= 1 of v are 1/sqrt(N).
        var v = full(n, 1.0 / root, dtype: float64, device: centred.device);
        v[0] = 1.0 / root - 1.0;
        var projection = v.unsqueeze(0).mm(centred);
        return centred[1..] - projection * (2.0 / (2.0 - 2.0 / root) / root);
    }

    /// <summary>The normalised nuclear norm of two prepared layers, in [0, 1]. Cost O(N dx dy + max(dx, dy) min(dx, dy)²).</summary>
    internal static double PairNuclearNorm(Cca.Directions x, Cca.Directions y) => Math.Clamp(Cca.PairNuclearNorm(x, y), 0.0, 1.0);

    /// <summary>The distance 2 - 2 ||X^T Y||_* of two prepared layers, in [0, 2].</summary>
    internal static double PairDistance(Cca.Directions x, Cca.Directions y) => Math.Clamp(2.0 - 2.0 * PairNuclearNorm(x, y), 0.0, 2.0);
}

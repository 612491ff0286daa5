using MLNet.Subspace.Numerics.Cka;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Similarity;

/// <summary>
/// The generalised shape metric of Williams, Kunz, Kornblith, Linderman ("Generalized Shape Metrics on
/// Neural Representations", NeurIPS 2021), as netrep's <c>LinearMetric(alpha, center_columns=True,
/// zero_pad=True, score_method="angular")</c>: partial whitening with alpha, optimal rotation, angle.
/// </summary>
/// <remarks>
/// <para>netrep whitens the centred X with Z = V diag(alpha + (1 - alpha) λ^(-1/2)) V^T (λ, V the eigenpairs
/// of X_c^T X_c), aligns X_c Z and Y_c Z' by the best rotation and returns the angle
/// arccos(&lt;X_w, Y_w Q&gt; / (||X_w||_F ||Y_w||_F)) = arccos(||X_w^T Y_w||_* / (||X_w||_F ||Y_w||_F)).
/// With the thin SVD X_c = U S V^T, X_c Z = U diag(alpha s + 1 - alpha) V^T, so only
/// g = alpha s + (1 - alpha) on the numerical rank enters:
/// ||X_w^T Y_w||_* = ||diag(g_x) U_x^T U_y diag(g_y)||_* and ||X_w||_F² = sum g_x². netrep's variance-preserving
/// rescale is a positive factor and cancels. alpha = 1 is the angular Procrustes distance
/// arccos ||X^T Y||_* (normalised); alpha = 0 is arccos(sum_i ρ_i / sqrt(r_x r_y)) with the canonical
/// correlations ρ_i. As in netrep the scatter matrix is unnormalised, so for 0 &lt; alpha &lt; 1 the value
/// depends on the scale of X (the whitening mixes s with 1).</para>
/// <para>The result is in [0, π/2], symmetric, 0 for X against itself, and satisfies the triangle inequality
/// (it is the angle between orbits of the orthogonal group on the sphere).</para>
/// <para>Cost: as <see cref="Cca"/>, O(N dx min(N, dx) + N dy min(N, dy)) for the SVDs plus O(N r_x r_y) and
/// O(r_x r_y min(r_x, r_y)).</para>
/// <para>Degenerate inputs as <see cref="Cca"/>; alpha outside [0, 1] is an
/// <see cref="ArgumentOutOfRangeException"/>. netrep clips eigenvalues at 1e-7 instead of cutting at the
/// numerical rank; the two differ only for nearly rank-deficient inputs.</para>
/// </remarks>
public static class ShapeMetric
{
    /// <summary>The angular shape distance for the whitening parameter <paramref name="alpha"/>.</summary>
    /// <param name="x">N x dx features, one input per row.</param>
    /// <param name="y">N x dy features for the same inputs.</param>
    /// <param name="alpha">0 (full whitening, CCA-like) to 1 (no whitening, Procrustes).</param>
    /// <returns>The angle in [0, π/2].</returns>
    /// <exception cref="DegenerateCkaException">A representation is constant.</exception>
    public static double AngularDistance(Tensor x, Tensor y, double alpha = 1.0)
    {
        Cca.CheckPair(x, y, "The shape metric");
        if (!(alpha >= 0 && alpha <= 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"The shape metric's alpha must be in [0, 1] (0 whitens fully, like CCA; 1 does not whiten, like Procrustes). Got {alpha} instead.");
        using var scope = NewDisposeScope();
        return PairDistance(Prepare(x, "X", alpha), Prepare(y, "Y", alpha));
    }

    /// <summary>
    /// The shape metric's per-layer work: the centred basis scaled by g / ||g||, g_i = alpha s_i + 1 - alpha (the partially
    /// whitened representation's singular values, up to its orthogonal factors). Cost O(N d min(N, d)).
    /// </summary>
    internal static Cca.Directions Prepare(Tensor x, string name, double alpha)
    {
        // alpha = 1 does not whiten: U S / ||S|| and X_c / ||X_c|| give the same singular values, and the latter needs no SVD.
        if (alpha == 1) return Procrustes.Prepare(x, name, "The shape metric");
        var basis = Cca.CentredBasis(x, name, "The shape metric");
        var g = basis.S * alpha + (1 - alpha);
        return new Cca.Directions(basis.U * (g / g.norm()).unsqueeze(0), basis.Rank, null, x.shape[0]);
    }

    /// <summary>The angle between two prepared layers, arccos ||Basis_x^T Basis_y||_*. Cost O(N r_x r_y + r_x r_y min(r_x, r_y)).</summary>
    internal static double PairDistance(Cca.Directions x, Cca.Directions y)
        => Math.Acos(Math.Clamp(Cca.PairNuclearNorm(x, y), -1.0, 1.0));
}

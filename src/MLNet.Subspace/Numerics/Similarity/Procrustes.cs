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
/// <para>Cost: each side's thin SVD, O(N d min(N, d)), then O(N r_x r_y) for the product of the two scaled bases and
/// O(r_x r_y min(r_x, r_y)) for its singular values (r = min(N, d) at most); memory O(N (r_x + r_y)). The SVD is the
/// per-layer half, so all pairs of L layers do L of them.</para>
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
    /// Procrustes' per-layer work: the centred basis scaled by s / ||s||, so Basis_x^T Basis_y has the singular values of
    /// X_c^T Y_c / (||X_c||_F ||Y_c||_F) (X_c = U S V^T and the orthogonal V factors do not change them). Cost O(N d min(N, d)).
    /// </summary>
    internal static Cca.Directions Prepare(Tensor x, string name)
    {
        var basis = Cca.CentredBasis(x, name, "The Procrustes distance");
        return new Cca.Directions(basis.U * (basis.S / basis.S.norm()).unsqueeze(0), basis.Rank, null, x.shape[0]);
    }

    /// <summary>The normalised nuclear norm of two prepared layers, in [0, 1]. Cost O(N r_x r_y + r_x r_y min(r_x, r_y)).</summary>
    internal static double PairNuclearNorm(Cca.Directions x, Cca.Directions y) => Math.Clamp(Cca.PairNuclearNorm(x, y), 0.0, 1.0);

    /// <summary>The distance 2 - 2 ||X^T Y||_* of two prepared layers, in [0, 2].</summary>
    internal static double PairDistance(Cca.Directions x, Cca.Directions y) => Math.Clamp(2.0 - 2.0 * PairNuclearNorm(x, y), 0.0, 2.0);
}

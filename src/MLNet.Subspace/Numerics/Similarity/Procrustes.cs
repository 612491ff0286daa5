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
/// <para>Cost: O(N dx dy) for X^T Y and O(dx dy min(dx, dy)) for its singular values; memory O(dx dy). Centring and
/// scaling are the per-layer half (O(N d)); the pair step is the whole SVD, so all pairs of L layers save little over
/// calling this per pair.</para>
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
    /// Procrustes' per-layer work: X_c / ||X_c||_F, so the pair step is the nuclear norm of X_c^T Y_c / (||X_c|| ||Y_c||).
    /// No SVD per layer: an SVD basis would make the pair's product r_x x r_y instead of dx x dy, which saves nothing
    /// while d &lt;= N and costs an O(N d min(N, d)) factorisation per layer. Cost O(N d).
    /// </summary>
    internal static Cca.Directions Prepare(Tensor x, string name) => Prepare(x, name, "The Procrustes distance");

    /// <summary><see cref="Prepare(Tensor, string)"/> with the measure named in the message (the alpha = 1 shape metric shares it).</summary>
    internal static Cca.Directions Prepare(Tensor x, string name, string measure)
    {
        var (xc, norm) = Cca.Centred(x, name, measure);
        return new Cca.Directions(xc / norm, (int)x.shape[1], null, x.shape[0]);
    }

    /// <summary>The normalised nuclear norm of two prepared layers, in [0, 1]. Cost O(N r_x r_y + r_x r_y min(r_x, r_y)).</summary>
    internal static double PairNuclearNorm(Cca.Directions x, Cca.Directions y) => Math.Clamp(Cca.PairNuclearNorm(x, y), 0.0, 1.0);

    /// <summary>The distance 2 - 2 ||X^T Y||_* of two prepared layers, in [0, 2].</summary>
    internal static double PairDistance(Cca.Directions x, Cca.Directions y) => Math.Clamp(2.0 - 2.0 * PairNuclearNorm(x, y), 0.0, 2.0);
}

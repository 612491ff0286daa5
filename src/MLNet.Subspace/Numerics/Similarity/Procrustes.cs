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
/// <para>Cost: O(N dx dy) for X^T Y and O(dx dy min(dx, dy)) for its singular values; memory O(dx dy).</para>
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
        var xc = Normalised(x, "X");
        var yc = Normalised(y, "Y");
        return Math.Clamp(linalg.svdvals(xc.t().mm(yc)).sum().item<double>(), 0.0, 1.0);
    }

    private static Tensor Normalised(Tensor x, string name)
    {
        var x64 = x.to_type(float64);
        double size = x64.norm().item<double>();
        var xc = x64 - x64.mean([0], keepdim: true);
        double norm = xc.norm().item<double>();
        if (!(norm > Cca.ConstantTolerance * size))
            throw new DegenerateCkaException(
                $"The Procrustes distance is undefined: every column of '{name}' is constant, so the centred representation is zero and cannot be scaled to unit norm; it needs at least one column that varies over the N inputs.");
        return xc / norm;
    }
}

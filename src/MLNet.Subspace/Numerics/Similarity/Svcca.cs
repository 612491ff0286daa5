using MLNet.Subspace.Numerics.Cka;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Similarity;

/// <summary>
/// SVCCA (Raghu, Gilmer, Yosinski, Sohl-Dickstein, "SVCCA: Singular Vector Canonical Correlation
/// Analysis for Deep Learning Dynamics and Interpretability", NeurIPS 2017): keep each representation's
/// leading singular directions, then CCA between what is kept.
/// </summary>
/// <remarks>
/// <para>X (N x dx) and Y (N x dy) are column-centred; the thin SVD X_c = U S V^T is cut to the smallest
/// k whose directions explain at least the share <c>keep</c> of the variance, sum_{i&lt;=k} s_i² /
/// sum_i s_i² &gt;= keep (the variance is the squared singular values; anatome's <c>svcca</c> uses the sum
/// of singular values instead, so its k can differ). The reduced representation U_k S_k spans U_k, so
/// its CCA correlations are the singular values of U_{x,k}^T U_{y,k}. <c>keep = 1</c> keeps the
/// numerical rank and equals <see cref="Cca"/>.</para>
/// <para>Cost: as CCA, O(N dx min(N, dx) + N dy min(N, dy)) for the SVDs plus O(N k_x k_y).</para>
/// <para>Degenerate inputs as <see cref="Cca"/>; <c>keep</c> outside (0, 1] is an
/// <see cref="ArgumentOutOfRangeException"/>.</para>
/// </remarks>
public static class Svcca
{
    /// <summary>The default variance share kept, 0.99 (Raghu et al.).</summary>
    public const double DefaultKeep = 0.99;

    /// <summary>How many leading singular directions of the centred <paramref name="x"/> explain the share <paramref name="keep"/> of its variance.</summary>
    /// <param name="x">N x d features, one input per row.</param>
    /// <param name="keep">The variance share in (0, 1].</param>
    /// <returns>k in [1, rank].</returns>
    /// <exception cref="DegenerateCkaException">Every column of X is constant.</exception>
    public static int KeptDirections(Tensor x, double keep = DefaultKeep)
    {
        Cca.CheckPair(x, x, "SVCCA");
        CheckKeep(keep);
        using var scope = NewDisposeScope();
        return Kept(Cca.CentredBasis(x, "X", "SVCCA"), keep);
    }

    /// <summary>The SVCCA correlations, descending, min(k_x, k_y) of them.</summary>
    /// <param name="x">N x dx features, one input per row.</param>
    /// <param name="y">N x dy features for the same inputs.</param>
    /// <param name="keep">The variance share kept of each, in (0, 1].</param>
    /// <returns>The canonical correlations between the kept directions, in [0, 1].</returns>
    public static double[] Correlations(Tensor x, Tensor y, double keep = DefaultKeep)
    {
        Cca.CheckPair(x, y, "SVCCA");
        CheckKeep(keep);
        using var scope = NewDisposeScope();
        return Cca.PairCorrelations(Prepare(x, "X", keep), Prepare(y, "Y", keep));
    }

    /// <summary>SVCCA's per-layer work: the centred basis cut to the kept k directions. Cost O(N d min(N, d)).</summary>
    internal static Cca.Directions Prepare(Tensor x, string name, double keep)
    {
        var basis = Cca.CentredBasis(x, name, "SVCCA");
        int k = Kept(basis, keep);
        return new Cca.Directions(basis.U[.., ..k], k, null, x.shape[0]);
    }

    /// <summary>The SVCCA similarity: the mean correlation between the kept directions (1 for X against itself).</summary>
    /// <param name="x">N x dx features, one input per row.</param>
    /// <param name="y">N x dy features for the same inputs.</param>
    /// <param name="keep">The variance share kept of each, in (0, 1].</param>
    /// <returns>mean_i ρ_i in [0, 1].</returns>
    public static double MeanCorrelation(Tensor x, Tensor y, double keep = DefaultKeep)
        => Correlations(x, y, keep).Average();

    private static int Kept(Cca.Basis basis, double keep)
    {
        if (keep >= 1.0) return basis.Rank;
        var variance = basis.S * basis.S;
        var share = (variance.cumsum(0) / variance.sum()).cpu().data<double>().ToArray();
        int k = Array.FindIndex(share, v => v >= keep) + 1;
        return k <= 0 ? basis.Rank : k;
    }

    private static void CheckKeep(double keep)
    {
        if (!(keep > 0 && keep <= 1))
            throw new ArgumentOutOfRangeException(nameof(keep), keep, $"The SVCCA variance share 'keep' must be in (0, 1] (0.99 keeps the directions explaining 99 % of the variance). Got {keep} instead.");
    }
}

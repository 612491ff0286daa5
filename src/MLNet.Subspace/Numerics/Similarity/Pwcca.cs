using MLNet.Subspace.Numerics.Cka;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Similarity;

/// <summary>
/// Projection-weighted CCA (Morcos, Raghu, Bengio, "Insights on representational similarity in neural
/// networks with canonical correlation", NeurIPS 2018): the canonical correlations averaged with weights
/// that say how much of the representation each canonical variate accounts for.
/// </summary>
/// <remarks>
/// <para>On column-centred X and Y: the canonical variates of the side with fewer directions (X when
/// r_x &lt;= r_y, as google/svcca's <c>compute_pwcca</c> picks the side with fewer neurons) are
/// h_i = U_x a_i (a_i the left singular vectors of U_x^T U_y, so the h_i are orthonormal); the weight of
/// ρ_i is α_i = sum_j |&lt;h_i, x_j&gt;| over the centred columns x_j, normalised to sum 1;
/// PWCCA = sum_i α_i ρ_i, the paper's definition.</para>
/// <para>google/svcca's <c>compute_pwcca</c> differs in three ways, so its numbers differ slightly: it
/// forms the directions as u^T X_c with <c>coef_x = u.T</c> from <c>cca_core</c>, without the
/// Σxx^(-1/2) factor, so after its QR they are not the canonical variates (on the fixture of case a
/// 0.948641 against the paper's 0.947987); it adds the column means back and projects the uncentred
/// activations (here centring is always applied, so a shift of the activations changes nothing); and
/// its Y-side branch projects <c>acts1</c> with Y's means.</para>
/// <para>Cost: as CCA, O(N dx min(N, dx) + N dy min(N, dy) + N r_x r_y), then the eigenpairs of the smaller side's
/// Gram matrix of U_x^T U_y, O(r_max r_min² + r_min³), plus O(r_min² d) for the weights. A correlation ρ comes out of an
/// eigenvalue ρ², so its absolute error is about eps / (2ρ) (at most sqrt(eps) ≈ 1.5e-8 for ρ near 0).</para>
/// <para>Degenerate inputs as <see cref="Cca"/>.</para>
/// </remarks>
public static class Pwcca
{
    /// <summary>The projection weights α_i (summing to 1), in the order of the descending correlations.</summary>
    /// <param name="x">N x dx features, one input per row.</param>
    /// <param name="y">N x dy features for the same inputs.</param>
    /// <returns>min(r_x, r_y) weights.</returns>
    public static double[] Weights(Tensor x, Tensor y) => Solve(x, y).Weights;

    /// <summary>The PWCCA similarity sum_i α_i ρ_i in [0, 1]; 1 for X against itself.</summary>
    /// <param name="x">N x dx features, one input per row.</param>
    /// <param name="y">N x dy features for the same inputs.</param>
    /// <returns>The projection-weighted mean canonical correlation.</returns>
    /// <exception cref="DegenerateCkaException">A representation is constant.</exception>
    public static double Compute(Tensor x, Tensor y)
    {
        Cca.CheckPair(x, y, "PWCCA");
        using var scope = NewDisposeScope();
        return Pair(Prepare(x, "X"), Prepare(y, "Y"));
    }

    /// <summary>PWCCA's per-layer work: the centred basis and its loadings S V^T. Cost O(N d min(N, d)).</summary>
    internal static Cca.Directions Prepare(Tensor x, string name)
    {
        var basis = Cca.CentredBasis(x, name, "PWCCA");
        return new Cca.Directions(basis.U, basis.Rank, basis.S.unsqueeze(1) * basis.Vh, x.shape[0]);
    }

    /// <summary>PWCCA of two prepared layers. Cost O(N r_x r_y + r_x r_y min(r_x, r_y) + r² d).</summary>
    internal static double Pair(Cca.Directions x, Cca.Directions y)
    {
        var (rho, weights) = Solve(x, y);
        double sum = 0;
        for (int i = 0; i < rho.Length; i++) sum += weights[i] * rho[i];
        return sum;
    }

    private static (double[] Rho, double[] Weights) Solve(Tensor x, Tensor y)
    {
        Cca.CheckPair(x, y, "PWCCA");
        using var scope = NewDisposeScope();
        return Solve(Prepare(x, "X"), Prepare(y, "Y"));
    }

    private static (double[] Rho, double[] Weights) Solve(Cca.Directions bx, Cca.Directions by)
    {
        using var scope = NewDisposeScope();
        // The singular vectors of M = U_x^T U_y on the side with fewer directions are the eigenvectors of that side's
        // k x k Gram matrix (M M^T or M^T M), its eigenvalues the squared correlations: one symmetric eigenproblem instead
        // of an SVD with vectors (libtorch's SVD is several times slower here, docs/benchmarks.md).
        var m = bx.Basis.t().mm(by.Basis);
        bool xSide = bx.Count <= by.Count;
        var (squares, vectors) = linalg.eigh(xSide ? m.mm(m.t()) : m.t().mm(m));
        var s = squares.flip(0).clamp(0.0, 1.0).sqrt();
        var dirs = vectors.flip(1);
        // <h_i, x_j> for h_i = U a_i and centred columns X_c = U S V^T: (a_i^T S V^T)_j.
        var basis = xSide ? bx : by;
        int k = basis.Count;
        var projections = dirs.t().mm(basis.Loadings!);
        var alpha = projections.abs().sum(1);
        double total = alpha.sum().item<double>();
        var weights = (alpha / total).cpu().data<double>().ToArray();
        return (Cca.ToClampedArray(s, k), weights);
    }
}

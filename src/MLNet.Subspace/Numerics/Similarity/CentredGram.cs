using MLNet.Subspace.Numerics.Cka;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Similarity;

/// <summary>
/// Linear CKA's per-layer half: the centred Gram matrix K_c = X_c X_c^T and its squared norm, so the CKA of two layers is
/// &lt;K_c, L_c&gt; / (||K_c|| ||L_c||), one O(N^2) dot product (Kornblith et al. 2019, the Gram route of
/// <see cref="CkaMath.Cka"/>).
/// </summary>
/// <param name="gram">N x N float64 centred Gram matrix.</param>
/// <param name="self">||K_c||_F^2 &gt; 0.</param>
/// <param name="rows">N.</param>
internal sealed class CentredGram(Tensor gram, double self, long rows) : PreparedLayer(rows)
{
    /// <summary>The centred Gram matrix.</summary>
    public Tensor Gram { get; } = gram;

    /// <summary>Its squared Frobenius norm.</summary>
    public double Self { get; } = self;

    /// <inheritdoc/>
    protected override IEnumerable<Tensor?> Owned => [Gram];

    /// <summary>Centres the columns and forms X_c X_c^T. Cost O(N^2 d) time, O(N^2) memory.</summary>
    /// <exception cref="DegenerateCkaException">The centred Gram matrix is zero (a constant layer).</exception>
    public static CentredGram Prepare(Tensor x, string name)
    {
        Cca.CheckOne(x, name, "CKA");
        var x64 = x.to_type(float64);
        double scale = Math.Pow(CkaMath.SquaredNorm(x64), 2);
        var xc = x64 - x64.mean([0], keepdim: true);
        var gram = xc.mm(xc.t());
        double self = CkaMath.SquaredNorm(gram);
        if (CkaMath.DegenerateReason(self, scale, name, debiased: false) is string reason)
            throw new DegenerateCkaException($"CKA is undefined: {reason}.");
        return new CentredGram(gram, self, x.shape[0]);
    }

    /// <summary>Linear CKA of two prepared layers. Cost O(N^2).</summary>
    public static double Compare(CentredGram x, CentredGram y) => CkaMath.Dot(x.Gram, y.Gram) / Math.Sqrt(x.Self * y.Self);
}

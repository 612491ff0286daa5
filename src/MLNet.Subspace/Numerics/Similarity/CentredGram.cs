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

    /// <summary>Rows per block of <see cref="SymmetricProduct"/>: small enough that the skipped upper blocks are most of the upper half, large enough for an efficient GEMM.</summary>
    private const long BlockRows = 256;

    /// <summary>Centres the columns and forms X_c X_c^T. Cost about (1 + 1/b) N^2 d for b = N / 256 row blocks (half a full product's 2 N^2 d, plus the diagonal blocks), O(N^2) memory.</summary>
    /// <exception cref="DegenerateCkaException">The centred Gram matrix is zero (a constant layer).</exception>
    public static CentredGram Prepare(Tensor x, string name)
    {
        Cca.CheckOne(x, name, "CKA");
        var x64 = x.to_type(float64);
        double scale = Math.Pow(CkaMath.SquaredNorm(x64), 2);
        var xc = x64 - x64.mean([0], keepdim: true);
        var gram = SymmetricProduct(xc);
        double self = CkaMath.SquaredNorm(gram);
        if (CkaMath.DegenerateReason(self, scale, name, debiased: false) is string reason)
            throw new DegenerateCkaException($"CKA is undefined: {reason}.");
        return new CentredGram(gram, self, x.shape[0]);
    }

    /// <summary>
    /// A A^T for an N x d matrix from the blocks on and below the diagonal (row blocks of <see cref="BlockRows"/>), the
    /// blocks above copied from their mirror: libtorch has no symmetric rank-k product (BLAS syrk), and a full
    /// <c>mm</c> computes both halves. Cost (b + 1) / (2b) of the full product's 2 N^2 d for b row blocks.
    /// </summary>
    internal static Tensor SymmetricProduct(Tensor a)
    {
        long n = a.shape[0];
        var product = empty(n, n, a.dtype, a.device);
        for (long start = 0; start < n; start += BlockRows)
        {
            long rows = Math.Min(BlockRows, n - start);
            using var scope = NewDisposeScope();
            var lower = a.narrow(0, start, rows).mm(a.narrow(0, 0, start + rows).t());
            product.narrow(0, start, rows).narrow(1, 0, start + rows).copy_(lower);
            if (start > 0) product.narrow(0, 0, start).narrow(1, start, rows).copy_(lower.narrow(1, 0, start).t());
        }
        return product;
    }

    /// <summary>Linear CKA of two prepared layers. Cost O(N^2).</summary>
    public static double Compare(CentredGram x, CentredGram y) => CkaMath.Dot(x.Gram, y.Gram) / Math.Sqrt(x.Self * y.Self);
}

using MLNet.Subspace.Numerics.Cka;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Similarity;

/// <summary>
/// Linear CKA's per-layer half: the centred Gram matrix K_c = X_c X_c^T and its squared norm, so the CKA of two layers is
/// &lt;K_c, L_c&gt; / (||K_c|| ||L_c||), one O(N^2) dot product (Kornblith et al. 2019, the Gram route of
/// <see cref="CkaMath.Cka"/>).
/// K_c is symmetric, so only its blocks on and below the diagonal are formed and kept: the N inputs are cut into
/// <see cref="RowBlocks"/> near-equal row ranges, block (a, b), a &gt;= b, is X_c[a] X_c[b]^T, and the blocks lie one after
/// the other in one flat tensor, the diagonal blocks first. Every layer of the same N has the same layout, so
/// &lt;K_c, L_c&gt; = &lt;diagonal part, diagonal part&gt; + 2 &lt;off-diagonal part, off-diagonal part&gt;. With T blocks this
/// is (T + 1) / 2T of the full product's flops, memory and dot-product reads (5/8 at T = 4).
/// </summary>
/// <param name="packed">The blocks, flat, float64.</param>
/// <param name="diagonal">How many of its leading values are the diagonal blocks'.</param>
/// <param name="self">||K_c||_F^2 &gt; 0.</param>
/// <param name="rows">N.</param>
internal sealed class CentredGram(Tensor packed, long diagonal, double self, long rows) : PreparedLayer(rows)
{
    private readonly Tensor _packed = packed;
    private readonly long _diagonal = diagonal;

    /// <summary>Rows per block at which another block pays for its smaller GEMMs (measured at N = 2,000: T = 4 halves the
    /// time of the full product; more, smaller blocks gain nothing).</summary>
    private const long RowsPerBlock = 500;

    /// <summary>The most row blocks (the flops tend to half the full product's; smaller GEMMs run slower).</summary>
    private const long MaxBlocks = 6;

    /// <summary>Its squared Frobenius norm.</summary>
    public double Self { get; } = self;

    /// <inheritdoc/>
    protected override IEnumerable<Tensor?> Owned => [_packed];

    /// <summary>T, the row blocks for N inputs: one per <see cref="RowsPerBlock"/> rows, at most <see cref="MaxBlocks"/>.</summary>
    public static long RowBlocks(long n) => Math.Clamp((n + RowsPerBlock - 1) / RowsPerBlock, 1, MaxBlocks);

    /// <summary>The values kept for N inputs: (N^2 + sum of the diagonal blocks' sizes) / 2.</summary>
    public static long PackedValues(long n) => (n * n + Starts(n).Zip(Starts(n).Skip(1), (a, b) => (b - a) * (b - a)).Sum()) / 2;

    private static long[] Starts(long n)
    {
        long blocks = RowBlocks(n);
        return Enumerable.Range(0, (int)blocks + 1).Select(a => a * n / blocks).ToArray();
    }

    /// <summary>Centres the columns and forms the blocks of X_c X_c^T on and below the diagonal. Cost about
    /// N^2 d (T + 1) / 2T multiply-adds, O(N^2) memory (<see cref="PackedValues"/> float64 values).</summary>
    /// <exception cref="DegenerateCkaException">The centred Gram matrix is zero (a constant layer).</exception>
    public static CentredGram Prepare(Tensor x, string name)
    {
        Cca.CheckOne(x, name, "CKA");
        var x64 = x.to_type(float64);
        double scale = Math.Pow(CkaMath.SquaredNorm(x64), 2);
        var xc = x64 - x64.mean([0], keepdim: true);
        long n = x.shape[0];
        var starts = Starts(n);
        var block = Enumerable.Range(0, starts.Length - 1).Select(a => xc.narrow(0, starts[a], starts[a + 1] - starts[a])).ToArray();
        // Written in place (addmm_ with beta 0 never reads the empty values): no N x N temporaries.
        var packed = empty(PackedValues(n), dtype: float64);
        long offset = 0;
        void Product(int a, int b)
        {
            long size = block[a].shape[0] * block[b].shape[0];
            packed.narrow(0, offset, size).view(block[a].shape[0], block[b].shape[0]).addmm_(block[a], block[b].t(), beta: 0f, alpha: 1f);
            offset += size;
        }
        for (int a = 0; a < block.Length; a++) Product(a, a);
        long diagonal = offset;
        for (int a = 1; a < block.Length; a++)
            for (int b = 0; b < a; b++) Product(a, b);
        double self = Inner(packed, diagonal, packed, diagonal);
        if (CkaMath.DegenerateReason(self, scale, name, debiased: false) is string reason)
            throw new DegenerateCkaException($"CKA is undefined: {reason}.");
        return new CentredGram(packed, diagonal, self, n);
    }

    /// <summary>Linear CKA of two prepared layers of the same N. Cost O(N^2).</summary>
    public static double Compare(CentredGram x, CentredGram y) => Inner(x._packed, x._diagonal, y._packed, y._diagonal) / Math.Sqrt(x.Self * y.Self);

    /// <summary>&lt;K_c, L_c&gt; from two layouts of the same N: the diagonal blocks once, those below the diagonal twice.</summary>
    private static double Inner(Tensor x, long diagonal, Tensor y, long yDiagonal)
    {
        if (x.shape[0] != y.shape[0] || diagonal != yDiagonal) throw new ArgumentException("The two layers' Gram blocks differ in layout: they have different input counts.");
        long below = x.shape[0] - diagonal;
        return CkaMath.Dot(x.narrow(0, 0, diagonal), y.narrow(0, 0, diagonal)) + 2 * CkaMath.Dot(x.narrow(0, diagonal, below), y.narrow(0, diagonal, below));
    }
}

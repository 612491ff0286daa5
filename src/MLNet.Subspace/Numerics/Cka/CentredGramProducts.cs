using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Cka;

/// <summary>
/// Linear CKA between layers held as centred Gram matrices K<sub>c</sub> = H X Xᵀ H that are read in row blocks (from files at
/// full scale): the inner products P<sub>ab</sub> = ⟨K<sub>a</sub>, K<sub>b</sub>⟩<sub>F</sub> are sums over row blocks, so no two N x N matrices need be in
/// memory at once, and CKA(a, b) = P<sub>ab</sub> / √(P<sub>aa</sub> P<sub>bb</sub>) (biased, Kornblith et al. 2019).
/// </summary>
/// <remarks>Cost O(M² N²) flops for M matrices (one float64 GEMM per block), memory O(M b N) for blocks of b rows.</remarks>
internal static class CentredGramProducts
{
    /// <summary>P<sub>ab</sub> over all pairs of <paramref name="matrices"/> N x N matrices.</summary>
    /// <param name="matrices">M.</param>
    /// <param name="n">N.</param>
    /// <param name="blockRows">Rows per block.</param>
    /// <param name="rows">Given (start, count), the count x N row block of every matrix, in order (any float dtype).</param>
    public static double[,] Products(int matrices, long n, long blockRows, Func<long, long, IReadOnlyList<Tensor>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Sum(matrices, Enumerable.Range(0, Blocks(n, blockRows)).Select(block =>
        {
            using var scope = NewDisposeScope(); // the block's rows go when its share is formed
            long start = block * blockRows;
            var parts = rows(start, Math.Min(blockRows, n - start));
            if (parts.Count != matrices) throw new ArgumentException($"Expected {matrices} row blocks, got {parts.Count}.", nameof(rows));
            return BlockProducts(parts);
        }));
    }

    /// <summary>Row blocks of <paramref name="blockRows"/> rows (the last shorter) over N rows.</summary>
    public static int Blocks(long n, long blockRows) => (int)((n + blockRows - 1) / blockRows);

    /// <summary>One row block's share of every P<sub>ab</sub>: the M x M float64 products of the blocks' rows (one GEMM), row-major.</summary>
    /// <param name="parts">The same rows of every matrix (count x N, any float dtype).</param>
    public static double[] BlockProducts(IReadOnlyList<Tensor> parts)
    {
        using var scope = NewDisposeScope();
        var stacked = stack(parts.Select(p => p.reshape(-1).to(ScalarType.Float64)).ToArray());
        return stacked.mm(stacked.t()).data<double>().ToArray();
    }

    /// <summary>P from the row blocks' shares, added in order into zeros (float64): the same bits wherever the shares were formed.</summary>
    /// <param name="matrices">M.</param>
    /// <param name="blockProducts">Each block's M x M share (row-major), in block order.</param>
    public static double[,] Sum(int matrices, IEnumerable<double[]> blockProducts)
    {
        ArgumentNullException.ThrowIfNull(blockProducts);
        using var scope = NewDisposeScope();
        var sum = zeros(matrices, matrices, ScalarType.Float64);
        foreach (var share in blockProducts)
        {
            using var block = NewDisposeScope();
            sum.add_(tensor(share, [matrices, matrices]));
        }
        var values = sum.data<double>().ToArray();
        var result = new double[matrices, matrices];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(double));
        return result;
    }

    /// <summary>CKA(a, b) from the inner products.</summary>
    /// <param name="products">P from <see cref="Products"/> (or a submatrix of rows <paramref name="a"/>, columns <paramref name="b"/>).</param>
    /// <param name="a">Row index.</param>
    /// <param name="b">Column index.</param>
    /// <param name="names">Names of the matrices, for the message.</param>
    /// <exception cref="DegenerateCkaException">A centred Gram matrix is zero (a constant layer).</exception>
    public static double Cka(double[,] products, int a, int b, IReadOnlyList<string> names)
    {
        foreach (int i in new[] { a, b })
            if (!(products[i, i] > 0))
                throw new DegenerateCkaException($"CKA is undefined: the centred Gram matrix of '{names[i]}' is zero (the layer is constant over the inputs).");
        return products[a, b] / Math.Sqrt(products[a, a] * products[b, b]);
    }
}

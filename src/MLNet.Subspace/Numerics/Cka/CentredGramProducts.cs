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
        using var scope = NewDisposeScope();
        var sum = zeros(matrices, matrices, ScalarType.Float64);
        for (long start = 0; start < n; start += blockRows)
        {
            using var block = NewDisposeScope();
            long count = Math.Min(blockRows, n - start);
            var parts = rows(start, count);
            if (parts.Count != matrices) throw new ArgumentException($"Expected {matrices} row blocks, got {parts.Count}.", nameof(rows));
            var stacked = stack(parts.Select(p => p.reshape(-1).to(ScalarType.Float64)).ToArray());
            sum.add_(stacked.mm(stacked.t()));
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

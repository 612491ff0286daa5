namespace MLNet.Subspace.Numerics.Spectral;

/// <summary>Sparse-times-dense products on CSR matrices, parallel over rows.</summary>
internal static class SparseOps
{
    /// <summary>Y = S X for S (N x N, CSR) and X (N x p, row-major); O(nnz p).</summary>
    public static double[] Multiply(SparseMatrix s, double[] x, int p)
    {
        var y = new double[(long)s.Rows * p];
        Parallel.For(0, s.Rows, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var idx = s.RowIndices(i);
            var val = s.RowValues(i);
            var yi = y.AsSpan(i * p, p);
            for (int t = 0; t < idx.Length; t++)
            {
                double v = val[t];
                var xj = x.AsSpan(idx[t] * p, p);
                for (int c = 0; c < p; c++) yi[c] += v * xj[c];
            }
        });
        return y;
    }
}

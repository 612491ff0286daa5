using System.Numerics;
using MLNet.Subspace.Torch;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Cka;

/// <summary>
/// SSC-CKA: CKA with two affinity graphs W_a, W_b used directly as the kernels. For sparse graphs
/// the centring goes through row sums, so no N x N matrix is ever formed.
/// </summary>
/// <remarks>
/// <para>For symmetric K, L with row sums r^K, r^L and totals s_K, s_L,
/// &lt;HKH, HLH&gt; = &lt;K, L&gt; - (2/N) r^K . r^L + s_K s_L / N^2 (biased), and with
/// K~ = K with a zero diagonal (row sums r~, totals s~) the debiased U-statistic numerator is
/// &lt;K~, L~&gt; + s~_K s~_L / ((N-1)(N-2)) - (2/(N-2)) r~^K . r~^L. &lt;K, L&gt; is a sorted
/// intersection of the two CSR rows, so one pair costs O(nnz_K + nnz_L + N). docs/cka.md derives both.</para>
/// <para>An all-zero graph (no edges) has CKA 0/0 with every graph: the pairwise functions throw
/// <see cref="DegenerateCkaException"/>, the matrix puts NaN in its row and column and says why.</para>
/// </remarks>
public static class GraphCka
{
    /// <summary>SSC-CKA of two dense symmetric graphs (N x N tensors), through the O(N^2) centring of <see cref="CkaMath.CenterGram"/>.</summary>
    /// <param name="graphA">N x N symmetric graph.</param>
    /// <param name="graphB">N x N symmetric graph over the same samples.</param>
    /// <param name="debiased">Use debiased HSIC.</param>
    /// <returns>The CKA value.</returns>
    public static double Cka(Tensor graphA, Tensor graphB, bool debiased = false) => CkaMath.Cka(graphA, graphB, debiased);

    /// <summary>SSC-CKA of two sparse symmetric graphs in O(nnz_A + nnz_B + N) time and O(N) memory.</summary>
    /// <param name="graphA">N x N symmetric graph (CSR).</param>
    /// <param name="graphB">N x N symmetric graph over the same samples.</param>
    /// <param name="debiased">Use debiased HSIC.</param>
    /// <returns>The CKA value.</returns>
    /// <exception cref="DegenerateCkaException">A graph has no edges (or a non-positive debiased self-HSIC).</exception>
    public static double Cka(SparseMatrix graphA, SparseMatrix graphB, bool debiased = false)
    {
        var a = Summary.Of(graphA, "A", debiased);
        var b = Summary.Of(graphB, "B", debiased);
        CheckPair(a, b);
        double ab = Centered(a, b, Intersect(graphA, graphB, debiased), debiased);
        double aa = Centered(a, a, a.SelfInner, debiased);
        double bb = Centered(b, b, b.SelfInner, debiased);
        foreach (var (s, self) in new[] { (a, aa), (b, bb) })
        {
            if (CkaMath.DegenerateReason(self, s.RawScale, s.Name, debiased) is string reason)
                throw new DegenerateCkaException($"CKA is undefined: {reason}.");
        }
        return ab / Math.Sqrt(aa * bb);
    }

    /// <summary>
    /// All-pairs SSC-CKA of L sparse symmetric graphs. The pairwise &lt;W_a, W_b&gt; come from one pass
    /// over the rows: for row i, every graph's row is scattered into an N x L buffer and each stored
    /// value adds v * buffer[j, 0..L) to its L-vector of products (the sparse analogue of stacking the
    /// graphs and multiplying once). The centring corrections are two rank-one products of row sums.
    /// Cost O(L * sum_i nnz_i * L / SIMD + L^2 N) time, 16 (N L + L^2) x 8 bytes (one scatter buffer per fixed row chunk; 256 MB at
    /// N = 100,000, L = 20), estimated and refused above the available memory; no N x N matrix is formed.
    /// </summary>
    /// <param name="graphs">L symmetric N x N graphs.</param>
    /// <param name="debiased">Use debiased HSIC.</param>
    /// <param name="names">Names of the graphs.</param>
    /// <returns>The symmetric L x L matrix with unit diagonal; NaN rows/columns for empty graphs.</returns>
    public static CkaMatrix Matrix(IReadOnlyList<SparseMatrix> graphs, bool debiased = false, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        int count = graphs.Count;
        if (count == 0) throw new ArgumentException("At least one graph is needed.", nameof(graphs));
        if (names is not null && names.Count != count) throw new ArgumentException($"Got {names.Count} names for {count} graphs; give one name per graph.", nameof(names));
        var summaries = graphs.Select((g, l) => Summary.Of(g, CkaMatrix.NameOf(names, l), debiased)).ToArray();
        foreach (var s in summaries) CheckPair(summaries[0], s);
        int n = graphs[0].Rows;
        var inner = InnerProducts(graphs, debiased);
        var centred = new double[count, count];
        var reasons = new string?[count];
        double scale = CkaMath.HsicScale(n, debiased);
        for (int a = 0; a < count; a++)
            for (int b = 0; b < count; b++) centred[a, b] = Centered(summaries[a], summaries[b], inner[a * count + b], debiased) / scale;
        for (int a = 0; a < count; a++)
            reasons[a] = CkaMath.DegenerateReason(centred[a, a] * scale, summaries[a].RawScale, summaries[a].Name, debiased);
        return CkaMatrix.Normalise(centred, reasons, names, 1, n);
    }

    /// <summary>&lt;K, L&gt; for every pair (diagonals excluded when debiased), row-major L x L.</summary>
    private static double[] InnerProducts(IReadOnlyList<SparseMatrix> graphs, bool debiased)
    {
        int count = graphs.Count, n = graphs[0].Rows;
        // Fixed chunks, each with its own accumulator, summed in order: deterministic whatever the thread count.
        int chunks = Math.Min(16, n);
        MemoryBudget.Check($"SSC-CKA of {count} graphs of {n} nodes ({chunks} row chunks, each an N x L scatter buffer)",
            (long)chunks * ((long)n * count + (long)count * count) * sizeof(double), MemoryBudget.AvailableBytes(), "Compare fewer graphs at a time.");
        var partial = new double[chunks][];
        Parallel.For(0, chunks, chunk =>
        {
            var acc = new double[count * count];
            var buffer = new double[(long)n * count];
            int first = (int)((long)n * chunk / chunks), last = (int)((long)n * (chunk + 1) / chunks);
            for (int i = first; i < last; i++)
            {
                for (int b = 0; b < count; b++)
                {
                    var cols = graphs[b].RowIndices(i);
                    var vals = graphs[b].RowValues(i);
                    for (int k = 0; k < cols.Length; k++)
                        if (!debiased || cols[k] != i) buffer[(long)cols[k] * count + b] = vals[k];
                }
                for (int a = 0; a < count; a++)
                {
                    var cols = graphs[a].RowIndices(i);
                    var vals = graphs[a].RowValues(i);
                    var target = acc.AsSpan(a * count, count);
                    for (int k = 0; k < cols.Length; k++)
                    {
                        if (debiased && cols[k] == i) continue;
                        MultiplyAdd(target, vals[k], buffer.AsSpan((int)((long)cols[k] * count), count));
                    }
                }
                for (int b = 0; b < count; b++)
                    foreach (int j in graphs[b].RowIndices(i)) buffer[(long)j * count + b] = 0;
            }
            partial[chunk] = acc;
        });
        var total = new double[count * count];
        foreach (var acc in partial)
            for (int k = 0; k < total.Length; k++) total[k] += acc[k];
        return total;
    }

    /// <summary>target += factor * source, vectorised.</summary>
    private static void MultiplyAdd(Span<double> target, double factor, ReadOnlySpan<double> source)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<double>.Count)
        {
            var f = new Vector<double>(factor);
            for (; k <= target.Length - Vector<double>.Count; k += Vector<double>.Count)
                (new Vector<double>(target[k..]) + f * new Vector<double>(source[k..])).CopyTo(target[k..]);
        }
        for (; k < target.Length; k++) target[k] += factor * source[k];
    }

    /// <summary>&lt;A, B&gt; by a sorted merge of each pair of CSR rows (diagonal skipped when debiased).</summary>
    private static double Intersect(SparseMatrix a, SparseMatrix b, bool debiased)
    {
        double sum = 0;
        for (int i = 0; i < a.Rows; i++)
        {
            var ca = a.RowIndices(i); var va = a.RowValues(i);
            var cb = b.RowIndices(i); var vb = b.RowValues(i);
            int p = 0, q = 0;
            while (p < ca.Length && q < cb.Length)
            {
                if (ca[p] < cb[q]) p++;
                else if (ca[p] > cb[q]) q++;
                else
                {
                    if (!debiased || ca[p] != i) sum += va[p] * vb[q];
                    p++; q++;
                }
            }
        }
        return sum;
    }

    /// <summary>The centred inner product from the raw one and the row-sum summaries.</summary>
    private static double Centered(Summary a, Summary b, double inner, bool debiased)
    {
        double n = a.Size, rr = 0;
        for (int i = 0; i < a.RowSums.Length; i++) rr += a.RowSums[i] * b.RowSums[i];
        return debiased
            ? inner + a.Total * b.Total / ((n - 1) * (n - 2)) - 2 / (n - 2) * rr
            : inner - 2 / n * rr + a.Total * b.Total / (n * n);
    }

    private static void CheckPair(Summary first, Summary other)
    {
        if (first.Size != other.Size)
            throw new ArgumentException($"Graph '{first.Name}' has {first.Size} rows but graph '{other.Name}' has {other.Size} rows; CKA compares graphs over the same N samples, so the row counts must match.");
    }

    /// <summary>Row sums, total and self inner product of one graph (diagonal excluded when debiased).</summary>
    private sealed record Summary(string Name, int Size, double[] RowSums, double Total, double SelfInner, double RawScale)
    {
        public static Summary Of(SparseMatrix graph, string name, bool debiased)
        {
            ArgumentNullException.ThrowIfNull(graph, name);
            if (graph.Rows != graph.Columns)
                throw new ArgumentException($"Graph '{name}' must be square (N x N). Got {graph.Rows}x{graph.Columns} instead.");
            if (debiased && graph.Rows < 4)
                throw new ArgumentException($"Debiased HSIC needs at least 4 samples. Graph '{name}' has {graph.Rows}.");
            if (graph.Rows < 2)
                throw new ArgumentException($"Graph '{name}' must have at least 2 rows. Got {graph.Rows} instead.");
            Graphs.GraphChecks.Check(graph, name, nonNegative: false);
            var sums = new double[graph.Rows];
            double self = 0, raw = 0;
            for (int i = 0; i < graph.Rows; i++)
            {
                var cols = graph.RowIndices(i);
                var vals = graph.RowValues(i);
                for (int k = 0; k < cols.Length; k++)
                {
                    raw += vals[k] * vals[k];
                    if (debiased && cols[k] == i) continue;
                    sums[i] += vals[k];
                    self += vals[k] * vals[k];
                }
            }
            return new Summary(name, graph.Rows, sums, sums.Sum(), self, raw);
        }
    }
}

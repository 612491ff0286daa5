using MLNet.Subspace.Torch;
using static TorchSharp.torch;

namespace MLNet.Subspace.Numerics.Cka;

/// <summary>
/// A matrix of CKA values between representations (or graphs), computed together: the centred
/// kernels are stacked as the rows of one L x N^2 matrix M and a single product M M^T gives every
/// pairwise inner product. Entries whose CKA is undefined are NaN and <see cref="Reasons"/> says why.
/// </summary>
public sealed class CkaMatrix
{
    /// <summary>Default memory ceiling for the stacked kernels: 2 GiB.</summary>
    public const long DefaultMaximumBytes = 2L << 30;

    internal CkaMatrix(double[,] values, IReadOnlyList<string> rowNames, IReadOnlyList<string> columnNames, IReadOnlyList<(string Name, string Line)> reasons, int batches, long samples)
    {
        Values = values;
        RowNames = rowNames;
        ColumnNames = columnNames;
        NamedReasons = reasons;
        Reasons = reasons.Select(r => r.Line).ToList();
        Batches = batches;
        Samples = samples;
    }

    /// <summary>The values, [row, column]; NaN where CKA is undefined (see <see cref="Reasons"/>).</summary>
    public double[,] Values { get; }

    /// <summary>Names of the rows (representations).</summary>
    public IReadOnlyList<string> RowNames { get; }

    /// <summary>Names of the columns (representations; equal to <see cref="RowNames"/> for a square all-pairs matrix).</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>One line per representation whose CKA is undefined (constant, all-zero, non-positive debiased self-HSIC), naming it in quotes; empty when all are usable.</summary>
    public IReadOnlyList<string?> Reasons { get; }

    /// <summary><see cref="Reasons"/> with the representation each line is about, so a <see cref="Block"/> keeps its own.</summary>
    internal IReadOnlyList<(string Name, string Line)> NamedReasons { get; }

    /// <summary>Number of minibatches averaged (1 for the full computation).</summary>
    public int Batches { get; }

    /// <summary>Number of samples seen.</summary>
    public long Samples { get; }

    /// <summary>One value.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column index.</param>
    public double this[int row, int column] => Values[row, column];

    /// <summary>
    /// All-pairs CKA of dense symmetric N x N kernels (for example dense affinity graphs): each is centred
    /// in O(N^2), the centred kernels are stacked and multiplied once. Cost O(L N^2 + L^2 N^2) time,
    /// O(L N^2) memory (refused above <paramref name="maximumBytes"/> with an estimate).
    /// </summary>
    /// <param name="grams">L symmetric N x N kernels over the same N samples.</param>
    /// <param name="debiased">Use debiased HSIC.</param>
    /// <param name="names">Names of the kernels (default "0", "1", ...).</param>
    /// <param name="maximumBytes">Memory ceiling for the stacked kernels.</param>
    /// <returns>The symmetric L x L matrix with unit diagonal (NaN rows/columns for degenerate kernels).</returns>
    public static CkaMatrix FromGrams(IReadOnlyList<Tensor> grams, bool debiased = false, IReadOnlyList<string>? names = null, long maximumBytes = DefaultMaximumBytes)
    {
        ArgumentNullException.ThrowIfNull(grams);
        var accumulator = new HsicAccumulator(grams.Count, names);
        accumulator.AddGrams(grams, debiased, maximumBytes);
        return accumulator.Result();
    }

    /// <summary>
    /// All-pairs CKA of L representations of the same N samples. With <paramref name="minibatchSize"/>
    /// null the whole sample is one batch; with a size n the rows are taken in
    /// consecutive batches of n and the per-batch HSIC estimates are averaged (minibatch CKA,
    /// Nguyen et al. 2021). The linear kernel never forms an N x N matrix: feature space when 2 Σd &lt;= N
    /// (2 N (Σd)^2 flops), otherwise upper-triangular b x b Gram tiles of all layers at once (N^2 Σd (1 + b/N) + L^2 N^2 flops,
    /// (L b^2 + 4 b max d) x 8 bytes, b about N/4 and at most 2,048), exact to rounding; see docs/cka.md. The RBF kernel stacks
    /// the L batch kernels (L n^2 x 8 bytes, refused above <paramref name="maximumBytes"/>).
    /// A last batch with fewer than 4 rows is dropped (the debiased estimator needs 4).
    /// </summary>
    /// <param name="representations">L tensors, each N x d_l (one sample per row).</param>
    /// <param name="kernel">Linear or RBF (the RBF bandwidth is taken per batch).</param>
    /// <param name="threshold">RBF bandwidth as a fraction of the median distance.</param>
    /// <param name="debiased">Use debiased HSIC (recommended with minibatches: the biased estimate's bias depends on the batch size).</param>
    /// <param name="minibatchSize">Rows per batch, or null for one batch of all rows.</param>
    /// <param name="names">Names of the representations.</param>
    /// <param name="maximumBytes">Memory ceiling for one batch's working buffers (linear tiles or stacked RBF kernels).</param>
    /// <returns>The symmetric L x L matrix with unit diagonal.</returns>
    public static CkaMatrix FromRepresentations(IReadOnlyList<Tensor> representations, CkaKernel kernel = CkaKernel.Linear, double threshold = CkaMath.DefaultRbfThreshold, bool debiased = false, int? minibatchSize = null, IReadOnlyList<string>? names = null, long maximumBytes = DefaultMaximumBytes)
    {
        ArgumentNullException.ThrowIfNull(representations);
        if (representations.Count == 0) throw new ArgumentException("At least one representation is needed.", nameof(representations));
        for (int l = 0; l < representations.Count; l++)
        {
            CkaMath.CheckMatrix(representations[l], $"representations[{l}]");
            CkaMath.CheckSameRows(representations[0], representations[l], NameOf(names, 0), NameOf(names, l));
        }
        long n = representations[0].shape[0];
        int batch = minibatchSize ?? (int)Math.Min(n, int.MaxValue);
        if (batch < 4 && (debiased || minibatchSize is not null))
            throw new ArgumentOutOfRangeException(nameof(minibatchSize), $"The minibatch size must be at least 4 (the debiased HSIC needs 4 samples). Got {batch} instead.");
        var accumulator = new HsicAccumulator(representations.Count, names);
        for (long start = 0; start < n; start += batch)
        {
            long length = Math.Min(batch, n - start);
            if (minibatchSize is not null && length < 4) break;
            using var scope = NewDisposeScope();
            var slices = representations.Select(x => x.narrow(0, start, length)).ToList();
            accumulator.AddRepresentations(slices, kernel, threshold, debiased, maximumBytes);
        }
        return accumulator.Result();
    }

    /// <summary>
    /// All-pairs linear CKA of L layers read in row chunks (for example float32 activations held as arrays), through
    /// <see cref="LinearKernelProducts"/>: no N x N matrix, no whole-layer float64 copy.
    /// </summary>
    internal static CkaMatrix FromLayerRows(int count, long n, long[] widths, LinearKernelProducts.RowReader rows, IReadOnlyList<string> names, bool debiased = false, long maximumBytes = DefaultMaximumBytes)
    {
        var accumulator = new HsicAccumulator(count, names);
        accumulator.AddLinear(LinearKernelProducts.Compute(count, n, widths, rows, CPU, debiased, maximumBytes), n, debiased);
        return accumulator.Result();
    }

    /// <summary>
    /// All-pairs SSC-CKA of sparse symmetric affinity graphs used directly as kernels, in
    /// O(L (nnz + N) + L^2 N) time without forming any N x N matrix (see <see cref="GraphCka"/>).
    /// </summary>
    /// <param name="graphs">L symmetric N x N graphs (CSR).</param>
    /// <param name="debiased">Use debiased HSIC.</param>
    /// <param name="names">Names of the graphs.</param>
    /// <returns>The symmetric L x L matrix with unit diagonal.</returns>
    public static CkaMatrix FromGraphs(IReadOnlyList<SparseMatrix> graphs, bool debiased = false, IReadOnlyList<string>? names = null)
        => GraphCka.Matrix(graphs, debiased, names);

    /// <summary>The block of rows [rowStart, rowStart+rows) and columns [columnStart, columnStart+columns).</summary>
    /// <param name="rowStart">First row.</param>
    /// <param name="rows">Row count.</param>
    /// <param name="columnStart">First column.</param>
    /// <param name="columns">Column count.</param>
    /// <returns>A new matrix with the matching names and reasons.</returns>
    public CkaMatrix Block(int rowStart, int rows, int columnStart, int columns)
    {
        var values = new double[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) values[i, j] = Values[rowStart + i, columnStart + j];
        var rowNames = RowNames.Skip(rowStart).Take(rows).ToList();
        var columnNames = ColumnNames.Skip(columnStart).Take(columns).ToList();
        var reasons = NamedReasons.Where(r => rowNames.Contains(r.Name) || columnNames.Contains(r.Name)).ToList();
        return new CkaMatrix(values, rowNames, columnNames, reasons, Batches, Samples);
    }

    internal static string NameOf(IReadOnlyList<string>? names, int index) => names is not null && index < names.Count ? names[index] : index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Turns an L x L matrix of HSIC estimates into CKA, NaN for degenerate inputs, exact unit diagonal, exact symmetry.</summary>
    internal static CkaMatrix Normalise(double[,] hsic, string?[] reasons, IReadOnlyList<string>? names, int batches, long samples)
    {
        int count = reasons.Length;
        var values = new double[count, count];
        for (int a = 0; a < count; a++)
        {
            for (int b = 0; b <= a; b++)
            {
                double v = reasons[a] is null && reasons[b] is null ? hsic[a, b] / Math.Sqrt(hsic[a, a] * hsic[b, b]) : double.NaN;
                if (a == b && reasons[a] is null) v = 1.0;
                values[a, b] = values[b, a] = v;
            }
        }
        var allNames = Enumerable.Range(0, count).Select(i => NameOf(names, i)).ToList();
        var lines = reasons.Select((r, i) => (Name: allNames[i], Reason: r)).Where(r => r.Reason is not null)
            .Select(r => (r.Name, $"CKA with '{r.Name}' is NaN: {r.Reason}")).ToList();
        return new CkaMatrix(values, allNames, allNames, lines, batches, samples);
    }
}

/// <summary>Sums L x L HSIC estimates over batches and keeps what the degeneracy checks need.</summary>
internal sealed class HsicAccumulator
{
    private readonly double[,] _hsic;
    private readonly double[] _rawSelf;
    private readonly double[] _rawScale;
    private readonly string?[] _reasons;
    private readonly IReadOnlyList<string>? _names;
    private readonly int _count;
    private bool _debiased;
    private int _batches;
    private long _samples;

    public HsicAccumulator(int count, IReadOnlyList<string>? names)
    {
        if (count == 0) throw new ArgumentException("At least one kernel is needed.");
        if (names is not null && names.Count != count)
            throw new ArgumentException($"Got {names.Count} names for {count} kernels; give one name per kernel.", nameof(names));
        _count = count;
        _names = names;
        _hsic = new double[count, count];
        _rawSelf = new double[count];
        _rawScale = new double[count];
        _reasons = new string?[count];
    }

    /// <summary>
    /// Adds one batch of representations (each n x d_l). Linear kernels go through <see cref="LinearKernelProducts"/>
    /// (feature space or upper-triangular Gram tiles, chosen by cost; no n x n matrix is held). RBF kernels are written
    /// into one L x n x n buffer and one product M M^T plus row sums give every centred inner product by the identities in
    /// docs/cka.md (biased: &lt;K,L&gt; - (2/n) r_K.r_L + s_K s_L/n^2; debiased: the U-statistic from &lt;K~,L~&gt;, r~, s~).
    /// </summary>
    public void AddRepresentations(IReadOnlyList<Tensor> batch, CkaKernel kernel, double threshold, bool debiased, long maximumBytes)
    {
        for (int l = 0; l < _count; l++) CkaMath.CheckSameRows(batch[0], batch[l], CkaMatrix.NameOf(_names, 0), CkaMatrix.NameOf(_names, l));
        if (kernel == CkaKernel.Linear)
        {
            AddLinear(LinearKernelProducts.Compute(batch, debiased, maximumBytes), batch[0].shape[0], debiased);
            return;
        }
        long n = batch[0].shape[0];
        CheckMemory(n, maximumBytes);
        using var scope = NewDisposeScope();
        var stacked = empty(_count, n, n, float64, device: batch[0].device);
        for (int l = 0; l < _count; l++)
        {
            using var inner = NewDisposeScope();
            try
            {
                var gram = CkaMath.GramRbf(batch[l], threshold);
                _rawScale[l] += CkaMath.SquaredNorm(gram);
                stacked[l].copy_(gram);
            }
            catch (DegenerateCkaException e)
            {
                _reasons[l] ??= e.Message.TrimEnd('.');
                stacked[l].zero_();
            }
        }
        if (debiased) stacked.diagonal(0, -2, -1).fill_(0.0);
        var rowSums = stacked.sum([2L]);
        var products = stacked.view(_count, n * n).mm(stacked.view(_count, n * n).t());
        var rr = rowSums.mm(rowSums.t());
        var totals = rowSums.sum([1L]);
        var ss = totals.unsqueeze(1).mm(totals.unsqueeze(0));
        double nn = n;
        var centred = debiased
            ? products + ss / ((nn - 1) * (nn - 2)) - rr * (2 / (nn - 2))
            : products - rr * (2 / nn) + ss / (nn * nn);
        Accumulate(centred.cpu().data<double>().ToArray(), n, debiased);
    }

    /// <summary>
    /// Adds one batch's linear-kernel products (<see cref="LinearKernelProducts"/>): the centred numerators and, as each
    /// layer's size reference, the uncentred ||X||^4 (centring the features centres the linear kernel exactly, H X X^T H = Xc Xc^T,
    /// and leaves the U-statistic unchanged).
    /// </summary>
    public void AddLinear(LinearKernelProducts.Result products, long n, bool debiased)
    {
        if (products.RawScale.Length != _count) throw new ArgumentException($"Expected {_count} layers in the batch. Got {products.RawScale.Length} instead.");
        for (int l = 0; l < _count; l++) _rawScale[l] += products.RawScale[l];
        Accumulate(products.Centred, n, debiased);
    }

    /// <summary>
    /// Adds one batch of caller-supplied N x N kernels: each is checked (square, symmetric), copied into one
    /// L x N x N buffer, centred explicitly (batched; robust to kernels with a large constant part), then one product.
    /// </summary>
    public void AddGrams(IReadOnlyList<Tensor> grams, bool debiased, long maximumBytes)
    {
        if (grams.Count != _count) throw new ArgumentException($"Expected {_count} kernels in the batch. Got {grams.Count} instead.");
        for (int l = 0; l < _count; l++)
        {
            CkaMath.CheckGram(grams[l], CkaMatrix.NameOf(_names, l), debiased);
            CkaMath.CheckSameRows(grams[0], grams[l], CkaMatrix.NameOf(_names, 0), CkaMatrix.NameOf(_names, l));
        }
        long n = grams[0].shape[0];
        CheckMemory(n, maximumBytes);
        using var scope = NewDisposeScope();
        var stacked = empty(_count, n, n, float64, device: grams[0].device);
        for (int l = 0; l < _count; l++)
        {
            using var inner = NewDisposeScope();
            var row = stacked[l];
            row.copy_(grams[l]);
            _rawScale[l] += CkaMath.SquaredNorm(row);
        }
        CkaMath.CenterInPlace(stacked, debiased);
        stacked = stacked.view(_count, n * n);
        Accumulate(stacked.mm(stacked.t()).cpu().data<double>().ToArray(), n, debiased);
    }

    /// <summary>Adds one batch's L x L centred inner products (row-major).</summary>
    private void Accumulate(double[] flat, long n, bool debiased)
    {
        _debiased = debiased;
        double scale = CkaMath.HsicScale(n, debiased);
        for (int a = 0; a < _count; a++)
        {
            _rawSelf[a] += flat[a * _count + a];
            for (int b = 0; b < _count; b++) _hsic[a, b] += flat[a * _count + b] / scale;
        }
        _batches++;
        _samples += n;
    }

    private void CheckMemory(long n, long maximumBytes)
    {
        MemoryBudget.Check($"Stacking {_count} centred {n}x{n} kernels (L N^2 x 8 bytes)", _count * n * n * sizeof(double), maximumBytes,
            $"Use minibatches (for example 1000 rows: {MemoryBudget.Format(_count * 1000L * 1000 * sizeof(double))}), sparse graphs (CkaMatrix.FromGraphs), or raise the memory ceiling.");
    }

    public CkaMatrix Result()
    {
        if (_batches == 0) throw new InvalidOperationException("No batch was added: there were fewer than 4 samples.");
        for (int l = 0; l < _count; l++)
        {
            string name = CkaMatrix.NameOf(_names, l);
            _reasons[l] ??= CkaMath.DegenerateReason(_rawSelf[l], _rawScale[l], name, _debiased)
                ?? (_hsic[l, l] > 0 ? null : $"the averaged HSIC({name}, {name}) = {_hsic[l, l]:G6} is not positive, so it has no square root");
        }
        return CkaMatrix.Normalise(_hsic, _reasons, _names, _batches, _samples);
    }
}

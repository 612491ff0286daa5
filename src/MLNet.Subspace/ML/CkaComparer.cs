using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Similarity;
using static TorchSharp.torch;

namespace MLNet.Subspace.ML;

/// <summary>
/// Compares representations with centered kernel alignment (CKA): several vector columns of one
/// <see cref="IDataView"/> (for example every layer's activations), the same columns across two views
/// (epoch e against the final model), or a set of affinity graphs (SSC-CKA). Each comparison returns a
/// <see cref="CkaComparison"/>: the matrix as a <c>Microsoft.Data.Analysis</c> DataFrame named by
/// layer, the raw values and the options used.
/// </summary>
/// <remarks>
/// <para><b>Why a comparer and not an estimator.</b> CKA is an analysis over whole columns that yields one
/// L x L matrix, not a row-to-row mapping: there is nothing to fit and apply to new rows, no output column
/// and no schema to propagate, so an <c>IEstimator</c>/<c>ITransformer</c> pair would be a pretence
/// (see docs/cka.md). It sits on the catalog like ML.NET's evaluators: <c>mlContext.Transforms.CkaComparer()</c>.</para>
/// <list type="table">
/// <listheader><term>Characteristic</term><description>Value</description></listheader>
/// <item><term>Input columns</term><description>Known-size vectors of <see cref="float"/> (any sizes; rows are the same N inputs)</description></item>
/// <item><term>Output</term><description><see cref="CkaComparison"/> (DataFrame: first column "Layer", then one Double column per layer)</description></item>
/// <item><term>Passes over the data</term><description>One cursor pass (two lock-step cursors for two views)</description></item>
/// <item><term>Memory</term><description>Full: O(N sum d_l + L N^2) (refused above <see cref="Options.MaximumMemoryBytes"/>). Minibatch n: O(n sum d_l + L n^2)</description></item>
/// <item><term>Time</term><description>O(N n L (d + L)) with batches of n (n = N for the full computation); graphs O(L nnz + L^2 N)</description></item>
/// </list>
/// <para>Undefined entries (a constant layer, an empty graph) are NaN and <see cref="CkaComparison.Reasons"/>
/// says why; mismatched row counts are errors naming both counts.</para>
/// <para><b>Any other measure.</b> With <see cref="Options.Similarity"/> set, vector columns are compared by that measure
/// instead (CCA, SVCCA, PWCCA, Procrustes, shape metrics, RSA, k-NN alignment; see <see cref="SimilarityOptions"/>): all
/// rows are read at once, each column's own work (centring, SVD basis, RDM, neighbour lists) is done once and every pair
/// takes only the measure's pair step; the result records the measure and its settings in
/// <see cref="CkaComparison.Measure"/>. Memory: the prepared columns together (refused beforehand when they would not fit).
/// A degenerate column (constant, too few rows for k) is an error naming the column, not NaN.</para>
/// <para>References: Kornblith et al., ICML 2019; Nguyen, Raghu, Kornblith, ICLR 2021 (minibatch CKA).</para>
/// </remarks>
public sealed class CkaComparer
{
    /// <summary>The documented defaults, defined once (Options, catalog and docs refer here).</summary>
    public static class Defaults
    {
        /// <summary>Default kernel: CkaKernel.Linear.</summary>
        public const CkaKernel Kernel = CkaKernel.Linear;
        /// <summary>Default RBF threshold: <see cref="CkaMath.DefaultRbfThreshold"/>.</summary>
        public const double RbfThreshold = CkaMath.DefaultRbfThreshold;
        /// <summary>Default debiased: false.</summary>
        public const bool Debiased = false;
        /// <summary>Default maximum memory bytes: CkaMatrix.DefaultMaximumBytes.</summary>
        public const long MaximumMemoryBytes = CkaMatrix.DefaultMaximumBytes;
    }

    /// <summary>Options of <see cref="CkaComparer"/>.</summary>
    public sealed class Options
    {
        /// <summary>The kernel for vector columns. Default <see cref="Defaults.Kernel"/>. Graphs are their own kernels.</summary>
        public CkaKernel Kernel { get; set; } = Defaults.Kernel;

        /// <summary>RBF bandwidth as a fraction of the median distance (sigma^2 = t^2 median d^2). Default <see cref="CkaMath.DefaultRbfThreshold"/>.</summary>
        public double RbfThreshold { get; set; } = Defaults.RbfThreshold;

        /// <summary>Use the debiased (U-statistic) HSIC. Default <see cref="Defaults.Debiased"/>. Recommended with <see cref="MinibatchSize"/>.</summary>
        public bool Debiased { get; set; } = Defaults.Debiased;

        /// <summary>Rows per minibatch (at least 4), or null to compare all rows at once. Default null.</summary>
        public int? MinibatchSize { get; set; }

        /// <summary>Ceiling for one batch's stacked kernels (L n^2 x 8 bytes). Default <see cref="Defaults.MaximumMemoryBytes"/>.</summary>
        public long MaximumMemoryBytes { get; set; } = Defaults.MaximumMemoryBytes;

        /// <summary>
        /// A layer-similarity measure to use instead of CKA for vector columns, with its settings; null (the default) keeps
        /// CKA with <see cref="Kernel"/>. When set, <see cref="Kernel"/>, <see cref="Debiased"/> and <see cref="MinibatchSize"/>
        /// must keep their defaults (they belong to CKA), and affinity graphs cannot be compared.
        /// </summary>
        public SimilarityOptions? Similarity { get; set; }

        internal Options Clone() => (Options)MemberwiseClone();

        internal void Validate()
        {
            if (!Enum.IsDefined(Kernel))
                throw new ArgumentOutOfRangeException(nameof(Kernel), $"The 'Kernel' option of CkaComparer must be Linear or Rbf. Got {Kernel} instead.");
            if (!(RbfThreshold > 0) || !double.IsFinite(RbfThreshold))
                throw new ArgumentOutOfRangeException(nameof(RbfThreshold), $"The 'RbfThreshold' option of CkaComparer must be a finite number greater than 0. Got {RbfThreshold} instead.");
            if (MinibatchSize is int size && size < 4)
                throw new ArgumentOutOfRangeException(nameof(MinibatchSize), $"The 'MinibatchSize' option of CkaComparer must be an integer of at least 4, or null for all rows. Got {size} instead.");
            if (MaximumMemoryBytes <= 0)
                throw new ArgumentOutOfRangeException(nameof(MaximumMemoryBytes), $"The 'MaximumMemoryBytes' option of CkaComparer must be greater than 0. Got {MaximumMemoryBytes} instead.");
            if (Similarity is null) return;
            Similarity.Validate();
            if (Kernel != Defaults.Kernel || Debiased != Defaults.Debiased || MinibatchSize is not null)
                throw new ArgumentException($"The 'Kernel', 'Debiased' and 'MinibatchSize' options of CkaComparer apply to CKA only, but 'Similarity' is set ({Similarity.Describe()}); leave them at their defaults, or set 'Similarity' to null for CKA.");
        }

        /// <summary>The kernel in words, as recorded in results.</summary>
        internal string Describe() => Kernel == CkaKernel.Rbf
            ? string.Create(CultureInfo.InvariantCulture, $"rbf(threshold={RbfThreshold})")
            : "linear";
    }

    private readonly Options _options;

    /// <summary>Creates a comparer; the options are validated and copied.</summary>
    /// <param name="options">The options (default: linear, biased, all rows at once).</param>
    public CkaComparer(Options? options = null)
    {
        _options = (options ?? new Options()).Clone();
        _options.Validate();
    }

    /// <summary>All pairs of <paramref name="columns"/> of one view: the symmetric L x L matrix with unit diagonal.</summary>
    /// <param name="data">The view (rows are the N inputs).</param>
    /// <param name="columns">Two or more known-size Single vector columns, for example one per layer.</param>
    /// <returns>The comparison.</returns>
    public CkaComparison Compare(IDataView data, params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckColumns(columns);
        var clock = Stopwatch.StartNew();
        var sizes = columns.Select(c => VectorColumn.CheckSchema(data.Schema, c)).ToArray();
        if (_options.Similarity is { } similarity)
        {
            using var all = new BatchReader(data, columns, sizes, "data");
            var (n, layers) = ReadAll(all, columns, sizes);
            var values = PairwiseSimilarity.Compute(similarity, n, layers);
            return Result(new CkaMatrix(values, columns, columns, [], 1, n), clock, "columns of one view");
        }
        var accumulator = new HsicAccumulator(columns.Length, columns);
        using var reader = new BatchReader(data, columns, sizes, "data");
        Stream(accumulator, [reader]);
        return Result(accumulator.Result(), clock, "columns of one view");
    }

    /// <summary>
    /// The same columns in two views over the same inputs (for example epoch e against the final model):
    /// entry [i, j] is CKA(first[columns[i]], second[columns[j]]), so the diagonal holds each layer against itself.
    /// </summary>
    /// <param name="first">Rows of the matrix (the DataFrame's "Layer" column).</param>
    /// <param name="second">Columns of the matrix.</param>
    /// <param name="columns">The columns to compare, present in both views.</param>
    /// <returns>The L x L comparison (not symmetric in general).</returns>
    public CkaComparison Compare(IDataView first, IDataView second, params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        CheckColumns(columns, minimum: 1);
        var clock = Stopwatch.StartNew();
        var sizesFirst = columns.Select(c => VectorColumn.CheckSchema(first.Schema, c)).ToArray();
        var sizesSecond = columns.Select(c => VectorColumn.CheckSchema(second.Schema, c)).ToArray();
        int l = columns.Length;
        if (_options.Similarity is { } similarity)
        {
            using var readerFirst = new BatchReader(first, columns, sizesFirst, "first");
            using var readerSecond = new BatchReader(second, columns, sizesSecond, "second");
            var (n, rows) = ReadAll(readerFirst, columns, sizesFirst);
            var (nSecond, cols) = ReadAll(readerSecond, columns, sizesSecond);
            if (n != nSecond)
                throw new ArgumentException($"The first view has {n} rows but the second has {nSecond} rows; {SimilarityOptions.MeasureName(similarity.Measure)} compares the same N inputs, so the row counts must match.");
            var values = PairwiseSimilarity.Compute(similarity, n, rows, cols);
            return Result(new CkaMatrix(values, columns, columns, [], 1, n), clock, "same columns across two views (rows: first, columns: second)");
        }
        var names = columns.Select(c => c + " (first)").Concat(columns.Select(c => c + " (second)")).ToList();
        var accumulator = new HsicAccumulator(2 * l, names);
        using var a = new BatchReader(first, columns, sizesFirst, "first");
        using var b = new BatchReader(second, columns, sizesSecond, "second");
        Stream(accumulator, [a, b]);
        var all = accumulator.Result();
        var block = all.Block(0, l, l, l);
        var renamed = new CkaMatrix(block.Values, columns, columns, block.NamedReasons, block.Batches, block.Samples);
        return Result(renamed, clock, "same columns across two views (rows: first, columns: second)");
    }

    /// <summary>All pairs of affinity graphs (SSC-CKA), through the sparse O(L nnz + L^2 N) route.</summary>
    /// <param name="names">One name per graph (the layer names).</param>
    /// <param name="graphs">Symmetric N x N graphs over the same inputs.</param>
    /// <returns>The symmetric L x L comparison.</returns>
    public CkaComparison Compare(IReadOnlyList<string> names, IReadOnlyList<SparseMatrix> graphs)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(graphs);
        if (names.Count != graphs.Count)
            throw new ArgumentException($"Got {names.Count} names for {graphs.Count} graphs; give one name per graph.", nameof(names));
        CheckColumns(names.ToArray(), minimum: 1);
        if (_options.Similarity is not null)
            throw new ArgumentException($"Affinity graphs are compared by SSC-CKA only; the 'Similarity' option ({_options.Similarity.Describe()}) applies to vector columns. Use a comparer without it for graphs.");
        var clock = Stopwatch.StartNew();
        return Result(GraphCka.Matrix(graphs, _options.Debiased, names), clock, "affinity graphs as kernels (SSC-CKA)");
    }

    private long Stream(HsicAccumulator accumulator, BatchReader[] readers)
    {
        int batch = _options.MinibatchSize ?? int.MaxValue;
        long rows = 0;
        while (true)
        {
            var counts = readers.Select(r => r.Fill(batch)).ToArray();
            if (counts.Distinct().Count() > 1 || (counts[0] < batch && readers.Any(r => !r.Finished)))
            {
                long[] totals = readers.Select(r => rows + r.Filled + r.CountRest()).ToArray();
                throw new ArgumentException($"The first view has {totals[0]} rows but the second has {totals[1]} rows; CKA compares the same N inputs, so the row counts must match.");
            }
            int n = counts[0];
            if (rows == 0 && n < 2)
                throw new ArgumentException($"CKA needs at least 2 rows (4 for the debiased HSIC). The data has {n}.");
            rows += n;
            if (n >= 4 || (_options.MinibatchSize is null && n > 0))
            {
                if (_options.MinibatchSize is null && n < 4 && _options.Debiased)
                    throw new ArgumentException($"Debiased HSIC needs at least 4 rows. Got {n} instead.");
                using var scope = NewDisposeScope();
                var tensors = readers.SelectMany(r => r.Tensors()).ToList();
                accumulator.AddRepresentations(tensors, _options.Kernel, _options.RbfThreshold, _options.Debiased, _options.MaximumMemoryBytes);
            }
            if (n < batch) return rows;
        }
    }

    /// <summary>Every row of the columns at once, as layers for <see cref="PairwiseSimilarity"/> (float32 values, float64 inside the measure).</summary>
    private static (long Rows, List<LayerInput> Layers) ReadAll(BatchReader reader, string[] columns, int[] sizes)
    {
        int n = reader.Fill(int.MaxValue);
        var values = reader.Values();
        var layers = columns.Select((c, i) => new LayerInput(c, sizes[i], () => tensor(values[i], [n, sizes[i]]))).ToList();
        return (n, layers);
    }

    private CkaComparison Result(CkaMatrix matrix, Stopwatch clock, string mode)
        => new(matrix, _options.Clone(), mode, clock.Elapsed.TotalSeconds);

    private static void CheckColumns(string[] columns, int minimum = 2)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length < minimum)
            throw new ArgumentException($"CkaComparer needs at least {minimum} column(s) to compare. Got {columns.Length} instead.", nameof(columns));
        var duplicate = columns.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Column '{duplicate.Key}' is listed more than once; each layer must appear once.", nameof(columns));
        if (columns.Contains(CkaComparison.LayerColumn))
            throw new ArgumentException($"A layer may not be named '{CkaComparison.LayerColumn}': that is the DataFrame's name column.", nameof(columns));
    }

    /// <summary>Reads consecutive batches of rows of several vector columns from one cursor.</summary>
    private sealed class BatchReader : IDisposable
    {
        private readonly DataViewRowCursor _cursor;
        private readonly ValueGetter<VBuffer<float>>[] _getters;
        private readonly string[] _columns;
        private readonly int[] _sizes;
        private readonly string _view;
        private readonly List<float[]> _rows = [];
        private VBuffer<float> _buffer;
        private long _position;

        public BatchReader(IDataView data, string[] columns, int[] sizes, string view)
        {
            _columns = columns;
            _sizes = sizes;
            _view = view;
            var cols = columns.Select(c => data.Schema[c]).ToArray();
            _cursor = data.GetRowCursor(cols);
            _getters = cols.Select(c => _cursor.GetGetter<VBuffer<float>>(c)).ToArray();
            for (int c = 0; c < columns.Length; c++) _rows.Add([]);
        }

        public bool Finished { get; private set; }

        public int Filled { get; private set; }

        /// <summary>Reads up to <paramref name="batch"/> rows; returns how many.</summary>
        public int Fill(int batch)
        {
            var buffers = _columns.Select(_ => new List<float>()).ToArray();
            Filled = 0;
            while (Filled < batch && !Finished)
            {
                if (!_cursor.MoveNext()) { Finished = true; break; }
                for (int c = 0; c < _columns.Length; c++)
                {
                    _getters[c](ref _buffer);
                    var values = new float[_sizes[c]];
                    _buffer.CopyTo(values);
                    for (int j = 0; j < values.Length; j++)
                        if (!float.IsFinite(values[j]))
                            throw new InvalidOperationException($"Column '{_columns[c]}' of the {_view} view, row {_position}, slot {j}: expected a finite number, found {values[j]}.");
                    buffers[c].AddRange(values);
                }
                Filled++;
                _position++;
            }
            for (int c = 0; c < _columns.Length; c++) _rows[c] = buffers[c].ToArray();
            return Filled;
        }

        /// <summary>Counts the rows not read yet (for the row-count error).</summary>
        public long CountRest()
        {
            long rest = 0;
            while (!Finished && _cursor.MoveNext()) rest++;
            Finished = true;
            return rest;
        }

        /// <summary>The rows read by the last <see cref="Fill"/>, one row-major array per column.</summary>
        public IReadOnlyList<float[]> Values() => _rows;

        public IEnumerable<Tensor> Tensors()
        {
            for (int c = 0; c < _columns.Length; c++)
                yield return tensor(_rows[c], [Filled, _sizes[c]]);
        }

        public void Dispose() => _cursor.Dispose();
    }
}

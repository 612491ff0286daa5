using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNet.Subspace.IO;
using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Graphs;
using MLNet.Subspace.Numerics.Ssc;
using TorchSharp;

namespace MLNet.Subspace.ML;

/// <summary>
/// The fitted SSC model: the training rows, their sparse codes, the affinity graph and the clusters. <see cref="Transform"/>
/// (lazy) adds the cluster (key), the distance-like per-cluster score (argmin = the cluster, ML.NET's clustering convention), the
/// per-cluster affinity share and optionally the strongest neighbours; it also works as an
/// <see cref="IRowToRowMapper"/>, so <c>PredictionEngine</c> can be used.
/// </summary>
/// <remarks>Rows seen in training get their fitted outputs: an exact copy of a fitted row, or a row whose Euclidean distance to the
/// nearest fitted row x<sub>i</sub> is at most <see cref="SscAffinityEstimator.Options.FittedRowTolerance"/> · ||x<sub>i</sub>|| (the nearest
/// such row, the lowest index on a tie; O(N D) per row not copied exactly), which absorbs the float32 rounding by which one row
/// through a network differs from the same row in a batch. Any other row gets
/// an out-of-sample code over the training rows (<see cref="SscOptions.CodeOutOfSample"/>, k non-zeros), its neighbours are that
/// code's support, its affinity share the share of |code| per cluster, its cluster the one with the largest share (missing key
/// and a NaN score for a zero vector), and its score 1 − share as for fitted rows (see <see cref="SscAffinityEstimator"/>).</remarks>
public sealed class SscAffinityTransformer : ITransformer, IRowToRowMapper
{
    private const string Magic = "MLNSSCT4";
    private const string MagicWithoutTolerance = "MLNSSCT3";
    private const string MagicWithoutShareColumn = "MLNSSCT2";

    internal sealed record Settings(string FeatureColumnName, string PredictedLabelColumnName, string ScoreColumnName,
        string AffinityShareColumnName, int NumberOfNeighbours, string NeighboursColumnName, string NeighbourWeightsColumnName, int MaximumNonZeros, int NumberOfClusters, double FittedRowTolerance);

    private readonly IHostEnvironment _env;
    private readonly Settings _settings;
    private readonly float[] _features;
    private readonly int _size;
    private readonly Dictionary<int, List<int>> _lookup = [];
    private readonly double[] _norms;
    private readonly float[] _shares;
    private readonly float[] _scores;
    private readonly Lazy<OutOfSampleCoder> _coder;

    internal SscAffinityTransformer(IHostEnvironment env, Settings settings, float[] features, int size, AffinityGraph graph, int[] labels, SelfExpression expression)
    {
        _env = env;
        _settings = settings;
        _features = features;
        _size = size;
        Graph = graph;
        ClusterLabels = labels;
        Expression = expression;
        int n = labels.Length;
        _norms = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sq = 0;
            foreach (float v in features.AsSpan(i * size, size)) sq += (double)v * v;
            _norms[i] = Math.Sqrt(sq);
            int h = Hash(features.AsSpan(i * size, size));
            if (!_lookup.TryGetValue(h, out var list)) _lookup[h] = list = [];
            list.Add(i);
        }
        int k = settings.NumberOfClusters;
        _shares = new float[(long)n * k];
        _scores = new float[(long)n * k];
        for (int i = 0; i < n; i++)
        {
            var idx = graph.Weights.RowIndices(i);
            var val = graph.Weights.RowValues(i);
            var row = new double[k];
            for (int t = 0; t < idx.Length; t++) row[labels[idx[t]]] += val[t];
            Normalize(row, _shares.AsSpan(i * k, k));
            DistanceScores(_shares.AsSpan(i * k, k), labels[i], _scores.AsSpan(i * k, k));
        }
        // Built on the first unseen row, once; it keeps its tensors outside every dispose scope.
        _coder = new Lazy<OutOfSampleCoder>(() =>
        {
            using var scope = torch.NewDisposeScope();
            return new SscOptions { NonZeros = settings.MaximumNonZeros }.CreateOutOfSampleCoder(torch.tensor(_features, [n, _size]));
        });
    }

    /// <summary>W = |C| + |C|<sup>T</sup> over the training rows.</summary>
    public AffinityGraph Graph { get; }

    /// <summary>Cluster of every training row (0-based; the key column shows them as 1..k).</summary>
    public IReadOnlyList<int> ClusterLabels { get; }

    /// <summary>The sparse codes and the solver's diagnostics (iterations, convergence, seconds).</summary>
    public SelfExpression Expression { get; }

    /// <summary>Number of clusters.</summary>
    public int NumberOfClusters => _settings.NumberOfClusters;

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    /// <inheritdoc />
    public DataViewSchema InputSchema => _inputSchema ?? throw new InvalidOperationException("This mapper was not bound to an input schema; call GetRowToRowMapper(schema) first.");

    private DataViewSchema? _inputSchema;

    /// <inheritdoc />
    public DataViewSchema OutputSchema => GetOutputSchema(InputSchema);

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInput(inputSchema);
        var b = new DataViewSchema.Builder();
        b.AddColumns(inputSchema);
        b.AddColumn(_settings.PredictedLabelColumnName, new KeyDataViewType(typeof(uint), NumberOfClusters));
        b.AddColumn(_settings.ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, NumberOfClusters));
        b.AddColumn(_settings.AffinityShareColumnName, new VectorDataViewType(NumberDataViewType.Single, NumberOfClusters));
        if (_settings.NumberOfNeighbours > 0)
        {
            b.AddColumn(_settings.NeighboursColumnName, new VectorDataViewType(NumberDataViewType.Int32, _settings.NumberOfNeighbours));
            b.AddColumn(_settings.NeighbourWeightsColumnName, new VectorDataViewType(NumberDataViewType.Single, _settings.NumberOfNeighbours));
        }
        return b.ToSchema();
    }

    private void CheckInput(DataViewSchema schema)
    {
        int size = VectorColumn.CheckSchema(schema, _settings.FeatureColumnName);
        if (size != _size)
            throw new ArgumentOutOfRangeException(nameof(schema), $"Schema mismatch for input column '{_settings.FeatureColumnName}': expected a vector of {_size} Single (as in training), got {size}.");
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new View(this, input, GetOutputSchema(input.Schema));
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInput(inputSchema);
        var bound = new SscAffinityTransformer(_env, _settings, _features, _size, Graph, ClusterLabels.ToArray(), Expression) { _inputSchema = inputSchema };
        return bound;
    }

    /// <inheritdoc />
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        int inputCount = InputSchema.Count;
        var needed = dependingColumns.Where(c => c.Index < inputCount).Select(c => InputSchema[c.Index]).ToList();
        if (dependingColumns.Any(c => c.Index >= inputCount)) needed.Add(InputSchema[_settings.FeatureColumnName]);
        return needed.DistinctBy(c => c.Index);
    }

    /// <inheritdoc />
    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MappedRow(this, input, OutputSchema, activeColumns.Select(c => c.Index).ToHashSet());
    }

    /// <summary>Not supported: ML.NET's model format cannot hold a third party's state. Use <see cref="Save(string)"/>.</summary>
    /// <param name="ctx">Unused.</param>
    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException("SscAffinityTransformer cannot be saved with mlContext.Model.Save; call transformer.Save(path) and SscAffinityTransformer.Load(mlContext, path).");

    /// <summary>Saves the model (settings, training rows, codes, graph, clusters) in one binary file, atomically.</summary>
    /// <param name="path">Destination.</param>
    public void Save(string path) => AtomicFile.Write(path, stream =>
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(_settings.FeatureColumnName); w.Write(_settings.PredictedLabelColumnName); w.Write(_settings.ScoreColumnName);
        w.Write(_settings.AffinityShareColumnName);
        w.Write(_settings.NumberOfNeighbours); w.Write(_settings.NeighboursColumnName); w.Write(_settings.NeighbourWeightsColumnName);
        w.Write(_settings.MaximumNonZeros); w.Write(_settings.NumberOfClusters); w.Write(_settings.FittedRowTolerance);
        w.Write(ClusterLabels.Count); w.Write(_size);
        foreach (float v in _features) w.Write(v);
        foreach (int l in ClusterLabels) w.Write(l);
        w.Write(Expression.Solver); w.Write(Expression.Iterations); w.Write(Expression.Converged); w.Write(Expression.Seconds);
        Expression.Coefficients.Write(w);
        Graph.Write(w);
    });

    /// <summary>Loads a model written by <see cref="Save(string)"/>.</summary>
    /// <param name="context">The ML.NET context (logging, device).</param>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is not an SscAffinity model or is truncated.</exception>
    public static SscAffinityTransformer Load(MLContext context, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            string magic = r.ReadString();
            if (magic != Magic && magic != MagicWithoutTolerance && magic != MagicWithoutShareColumn) throw new InvalidDataException($"{path}: not an SscAffinity model (expected header '{Magic}').");
            string feature = r.ReadString(), predicted = r.ReadString(), score = r.ReadString();
            // Files written before the affinity share had its own column: it takes the default name.
            string share = magic == MagicWithoutShareColumn ? SscAffinityEstimator.Defaults.AffinityShareColumnName : r.ReadString();
            var settings = new Settings(feature, predicted, score, share, r.ReadInt32(), r.ReadString(), r.ReadString(), r.ReadInt32(), r.ReadInt32(),
                // Files written before the tolerance existed matched exact copies only.
                magic == Magic ? r.ReadDouble() : 0);
            int n = r.ReadInt32(), size = r.ReadInt32();
            if (n < 2 || size < 1 || settings.NumberOfClusters < 2) throw new InvalidDataException($"{path}: corrupt header (N = {n}, D = {size}).");
            var features = new float[(long)n * size];
            for (long i = 0; i < features.LongLength; i++) features[i] = r.ReadSingle();
            var labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = r.ReadInt32();
            string solver = r.ReadString();
            int iterations = r.ReadInt32();
            bool converged = r.ReadBoolean();
            double seconds = r.ReadDouble();
            var codes = SparseMatrix.Read(r, path);
            if (codes.Rows != n || codes.Columns != n)
                throw new InvalidDataException($"{path}: the coefficient matrix is {codes.Rows} x {codes.Columns}, expected {n} x {n}.");
            var graph = AffinityGraph.Read(r, path);
            var env = MLNetInterop.Environment(context.Transforms);
            return new SscAffinityTransformer(env, settings, features, size, graph, labels, new SelfExpression(codes, iterations, converged, seconds, solver));
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: the SscAffinity model file is truncated.", e);
        }
    }

    // ------------------------------------------------------------------ row mapping

    /// <summary>Cluster, distance-like scores, affinity shares and neighbours of one feature vector.</summary>
    private (uint Key, float[] Score, float[] Share, int[] Ids, float[] Weights) Map(ReadOnlySpan<float> x)
    {
        int k = NumberOfClusters, m = _settings.NumberOfNeighbours;
        var ids = Enumerable.Repeat(-1, m).ToArray();
        var weights = new float[m];
        int row = Find(x);
        if (row >= 0)
        {
            var neighbours = Graph.Neighbours(row);
            for (int t = 0; t < Math.Min(m, neighbours.Count); t++) { ids[t] = neighbours[t].Node; weights[t] = (float)neighbours[t].Weight; }
            return ((uint)ClusterLabels[row] + 1, _scores.AsSpan(row * k, k).ToArray(), _shares.AsSpan(row * k, k).ToArray(), ids, weights);
        }
        var (support, coefs) = OutOfSampleCode(x);
        var mass = new double[k];
        var order = Enumerable.Range(0, support.Length).OrderByDescending(t => Math.Abs(coefs[t])).ToArray();
        for (int t = 0; t < support.Length; t++) mass[ClusterLabels[support[t]]] += Math.Abs(coefs[t]);
        for (int t = 0; t < Math.Min(m, order.Length); t++) { ids[t] = support[order[t]]; weights[t] = (float)Math.Abs(coefs[order[t]]); }
        var share = new float[k];
        Normalize(mass, share);
        uint key = mass.Sum() > 0 ? (uint)Array.IndexOf(mass, mass.Max()) + 1 : 0;
        var score = new float[k];
        if (key == 0) Array.Fill(score, float.NaN);
        else DistanceScores(share, (int)key - 1, score);
        return (key, score, share, ids, weights);
    }

    /// <summary>The fitted row <paramref name="x"/> stands for: an exact copy (first by index), else the nearest fitted row
    /// within the relative tolerance (lowest index on a tie), else −1.</summary>
    private int Find(ReadOnlySpan<float> x)
    {
        if (_lookup.TryGetValue(Hash(x), out var candidates))
            foreach (int i in candidates)
                if (_features.AsSpan(i * _size, _size).SequenceEqual(x)) return i;
        double tolerance = _settings.FittedRowTolerance;
        if (tolerance <= 0) return -1;
        int best = -1;
        double bestDistance = double.PositiveInfinity;
        for (int i = 0; i < _norms.Length; i++)
        {
            var row = _features.AsSpan(i * _size, _size);
            double sq = 0;
            for (int j = 0; j < _size; j++) { double d = (double)x[j] - row[j]; sq += d * d; }
            double distance = Math.Sqrt(sq);
            if (distance <= tolerance * _norms[i] && distance < bestDistance) { best = i; bestDistance = distance; }
        }
        return best;
    }

    /// <summary>The out-of-sample code of a row over the training rows (<see cref="SscOptions.CodeOutOfSample"/>): O(k N D).</summary>
    private (int[] Support, double[] Coefs) OutOfSampleCode(ReadOnlySpan<float> x)
    {
        using var scope = torch.NewDisposeScope();
        return _coder.Value.Code(torch.tensor(x.ToArray(), [1, _size]))[0];
    }

    private static void Normalize(double[] mass, Span<float> into)
    {
        double total = mass.Sum();
        for (int c = 0; c < mass.Length; c++) into[c] = total > 0 ? (float)(mass[c] / total) : 1f / mass.Length;
    }

    /// <summary>ML.NET's clustering score: Score_c = 1 − share_c, with the assigned cluster's entry lowered to just below the
    /// smallest other one where needed, so the argmin (ties to the lowest index, as ML.NET's evaluator sorts) is the assigned cluster.</summary>
    private static void DistanceScores(ReadOnlySpan<float> share, int assigned, Span<float> into)
    {
        float others = float.PositiveInfinity;
        for (int c = 0; c < share.Length; c++)
        {
            into[c] = 1f - share[c];
            if (c != assigned) others = Math.Min(others, into[c]);
        }
        if (into[assigned] >= others) into[assigned] = MathF.BitDecrement(others);
    }

    private static int Hash(ReadOnlySpan<float> x)
    {
        var h = new HashCode();
        foreach (float v in x) h.Add(v);
        return h.ToHashCode();
    }

    /// <summary>Getters of the added columns over one input row, cached per position.</summary>
    private sealed class Outputs(SscAffinityTransformer owner, DataViewRow input)
    {
        // Asked for on first use only: a cursor that reads pass-through columns alone has no active feature column.
        private ValueGetter<VBuffer<float>>? _features;
        private long _cached = -1;
        private (uint Key, float[] Score, float[] Share, int[] Ids, float[] Weights) _value;
        private VBuffer<float> _buffer;

        private (uint Key, float[] Score, float[] Share, int[] Ids, float[] Weights) Current()
        {
            if (_cached != input.Position || _value.Score is null)
            {
                _features ??= input.GetGetter<VBuffer<float>>(input.Schema[owner._settings.FeatureColumnName]);
                _features(ref _buffer);
                var dense = new float[_buffer.Length];
                _buffer.CopyTo(dense);
                _value = owner.Map(dense);
                _cached = input.Position;
            }
            return _value;
        }

        public Delegate Getter(int slot) => slot switch
        {
            0 => (ValueGetter<uint>)((ref uint v) => v = Current().Key),
            1 => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) => Write(Current().Score, ref v)),
            2 => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) => Write(Current().Share, ref v)),
            3 => (ValueGetter<VBuffer<int>>)((ref VBuffer<int> v) => Write(Current().Ids, ref v)),
            _ => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) => Write(Current().Weights, ref v)),
        };

        private static void Write<T>(T[] values, ref VBuffer<T> dst)
        {
            var editor = VBufferEditor.Create(ref dst, values.Length);
            values.CopyTo(editor.Values);
            dst = editor.Commit();
        }
    }

    private sealed class MappedRow(SscAffinityTransformer owner, DataViewRow input, DataViewSchema schema, HashSet<int> active)
        : AppendedColumnsRow(input, schema, active)
    {
        private readonly Outputs _outputs = new(owner, input);

        protected override ValueGetter<TValue> OutputGetter<TValue>(DataViewSchema.Column column, int output)
            => Typed<TValue>(_outputs.Getter(output), column);
    }

    private sealed class View(SscAffinityTransformer owner, IDataView input, DataViewSchema schema) : IDataView
    {
        public bool CanShuffle => input.CanShuffle;
        public DataViewSchema Schema => schema;
        public long? GetRowCount() => input.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            var active = columnsNeeded.Select(c => c.Index).ToHashSet();
            int inputCount = input.Schema.Count;
            var needed = active.Where(i => i < inputCount).Select(i => input.Schema[i]).ToList();
            if (active.Any(i => i >= inputCount)) needed.Add(input.Schema[owner._settings.FeatureColumnName]);
            var cursor = input.GetRowCursor(needed.DistinctBy(c => c.Index), rand);
            return new AppendedColumnsCursor(cursor, new MappedRow(owner, cursor, schema, active));
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
            => [GetRowCursor(columnsNeeded, rand)];
    }
}

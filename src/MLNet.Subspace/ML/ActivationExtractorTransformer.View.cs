using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Subspace.ML;

public sealed partial class ActivationExtractorTransformer
{
    /// <summary>Which output each added column is: a layer index, the score (-1) or the predicted label (-2).</summary>
    private int[] OutputKinds()
        => [.. Enumerable.Range(0, LayerNames.Count), .. _options.ScoreColumnName is null ? Array.Empty<int>() : [-1], .. _options.PredictedLabelColumnName is null ? Array.Empty<int>() : [-2]];

    /// <summary>Batched forward passes for one row stream; shared by the cursor and the row mapper.</summary>
    private sealed class RowComputer
    {
        private readonly ActivationExtractorTransformer _t;
        private readonly bool[] _activeLayers;
        private readonly bool _needScores;
        private readonly float[] _inputs;
        private readonly float[]?[] _layers;
        private readonly float[]? _scores;

        public RowComputer(ActivationExtractorTransformer t, int batchSize, IEnumerable<int> activeOutputs)
        {
            _t = t;
            var active = activeOutputs.ToHashSet();
            _activeLayers = Enumerable.Range(0, t.LayerNames.Count).Select(active.Contains).ToArray();
            _needScores = active.Contains(-1) || active.Contains(-2);
            AnyActive = active.Count > 0;
            _inputs = new float[(long)batchSize * t._inputSize];
            _layers = Enumerable.Range(0, t.LayerNames.Count).Select(l => _activeLayers[l] ? new float[(long)batchSize * t._engine.LayerSizes[l]] : null).ToArray();
            _scores = _needScores ? new float[(long)batchSize * t.Classes] : null;
        }

        public bool AnyActive { get; }

        public float[] Inputs => _inputs;

        public int RowInBatch { get; set; }

        public void Run(int rows) => _t._engine.Run(_inputs, rows, _activeLayers, _layers, _scores);

        public Delegate Getter(int kind) => kind switch
        {
            -1 => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> dst) => Copy(_scores!, _t.Classes, ref dst)),
            -2 => (ValueGetter<uint>)((ref uint dst) =>
            {
                var row = _scores.AsSpan(RowInBatch * _t.Classes, _t.Classes);
                int best = 0;
                for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
                dst = (uint)best + 1;
            }),
            _ => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> dst) => Copy(_layers[kind]!, _t._engine.LayerSizes[kind], ref dst)),
        };

        private void Copy(float[] source, int size, ref VBuffer<float> dst)
        {
            var editor = VBufferEditor.Create(ref dst, size);
            source.AsSpan(RowInBatch * size, size).CopyTo(editor.Values);
            dst = editor.Commit();
        }
    }

    private sealed class ActivationDataView(ActivationExtractorTransformer t, IDataView input, DataViewSchema schema) : IDataView
    {
        public bool CanShuffle => false;

        public DataViewSchema Schema => schema;

        public long? GetRowCount() => input.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            var needed = columnsNeeded.Select(c => c.Index).ToHashSet();
            int inputCount = input.Schema.Count;
            var kinds = t.OutputKinds();
            var upstream = input.Schema.Where(c => needed.Contains(c.Index)).ToList();
            var computer = new RowComputer(t, t._options.BatchSize, needed.Where(i => i >= inputCount).Select(i => kinds[i - inputCount]));
            return new Cursor(t, input, schema, input.GetRowCursor(upstream), computer, needed, kinds);
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
            => [GetRowCursor(columnsNeeded, rand)];
    }

    /// <summary>
    /// Walks the input row by row (for pass-through columns) while a second cursor over the input
    /// column reads ahead one batch at a time for the forward pass.
    /// </summary>
    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ActivationExtractorTransformer _t;
        private readonly IDataView _input;
        private readonly DataViewSchema _schema;
        private readonly DataViewRowCursor _main;
        private readonly RowComputer _computer;
        private readonly HashSet<int> _active;
        private readonly int[] _kinds;
        private BatchReader? _reader;
        private int _batchRows;
        private long _position = -1;

        public Cursor(ActivationExtractorTransformer t, IDataView input, DataViewSchema schema, DataViewRowCursor main, RowComputer computer, HashSet<int> active, int[] kinds)
        {
            _t = t;
            _input = input;
            _schema = schema;
            _main = main;
            _computer = computer;
            _active = active;
            _kinds = kinds;
            _computer.RowInBatch = -1;
        }

        public override DataViewSchema Schema => _schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when this cursor was created.");
            int inputCount = _input.Schema.Count;
            if (column.Index < inputCount) return _main.GetGetter<TValue>(_input.Schema[column.Index]);
            return _computer.Getter(_kinds[column.Index - inputCount]) as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}, not {typeof(TValue).Name}.");
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => _main.GetIdGetter();

        public override bool MoveNext()
        {
            if (!_main.MoveNext()) return false;
            _position++;
            if (!_computer.AnyActive) return true;
            _computer.RowInBatch++;
            if (_computer.RowInBatch >= _batchRows)
            {
                _reader ??= new BatchReader(_input, _t._options.InputColumnName, _t._inputSize);
                _batchRows = _reader.Read(_computer.Inputs, _t._options.BatchSize);
                if (_batchRows == 0) throw new InvalidOperationException("The input data yielded fewer rows on a second pass over it; ActivationExtractor needs a deterministic input view.");
                _computer.Run(_batchRows);
                _computer.RowInBatch = 0;
            }
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _main.Dispose();
                _reader?.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>Row-at-a-time mapping for PredictionEngine (batch size 1).</summary>
    private sealed class Mapper(ActivationExtractorTransformer t, DataViewSchema inputSchema, DataViewSchema outputSchema) : IRowToRowMapper
    {
        public DataViewSchema InputSchema => inputSchema;

        public DataViewSchema OutputSchema => outputSchema;

        /// <summary>The pass-through columns asked for, plus the input column when any computed column is.</summary>
        public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
        {
            var needed = dependingColumns.Where(c => c.Index < inputSchema.Count).Select(c => inputSchema[c.Index]).ToList();
            if (dependingColumns.Any(c => c.Index >= inputSchema.Count)) needed.Add(inputSchema[t._options.InputColumnName]);
            return needed.DistinctBy(c => c.Index);
        }

        public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        {
            var active = activeColumns.Select(c => c.Index).ToHashSet();
            var kinds = t.OutputKinds();
            var computer = new RowComputer(t, 1, active.Where(i => i >= inputSchema.Count).Select(i => kinds[i - inputSchema.Count]));
            return new Row(t, input, outputSchema, computer, active, kinds);
        }
    }

    private sealed class Row(ActivationExtractorTransformer t, DataViewRow input, DataViewSchema schema, RowComputer computer, HashSet<int> active, int[] kinds)
        : AppendedColumnsRow(input, schema, active)
    {
        private long _computedAt = -1;
        private ValueGetter<VBuffer<float>>? _inputGetter;
        private VBuffer<float> _row;

        protected override ValueGetter<TValue> OutputGetter<TValue>(DataViewSchema.Column column, int output)
        {
            var inner = Typed<TValue>(computer.Getter(kinds[output]), column);
            return (ref TValue dst) =>
            {
                Ensure();
                inner(ref dst);
            };
        }

        private void Ensure()
        {
            if (_computedAt == Input.Position && Input.Position >= 0) return;
            _inputGetter ??= Input.GetGetter<VBuffer<float>>(Input.Schema[t._options.InputColumnName]);
            _inputGetter(ref _row);
            _row.CopyTo(computer.Inputs);
            computer.RowInBatch = 0;
            computer.Run(1);
            _computedAt = Input.Position;
        }
    }
}

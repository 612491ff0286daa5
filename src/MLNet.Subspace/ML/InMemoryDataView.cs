using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Subspace.ML;

/// <summary>
/// An immutable, thread-safe <see cref="IDataView"/> over arrays already in memory: vector columns
/// stored as one flat array (N x size), scalar columns as one array each. Building one copies
/// nothing; cursors copy a row into the caller's buffer only when its getter is called.
/// </summary>
public sealed class InMemoryDataView : IDataView
{
    private readonly IColumnData[] _columns;

    private InMemoryDataView(DataViewSchema schema, IColumnData[] columns, int rowCount)
    {
        Schema = schema;
        _columns = columns;
        RowCount = rowCount;
    }

    /// <inheritdoc />
    public bool CanShuffle => false;

    /// <inheritdoc />
    public DataViewSchema Schema { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <inheritdoc />
    public long? GetRowCount() => RowCount;

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet());

    /// <inheritdoc />
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    /// <summary>Starts a view with <paramref name="rowCount"/> rows.</summary>
    /// <param name="rowCount">Rows every column must have.</param>
    public static Builder Create(int rowCount) => new(rowCount);

    /// <summary>Collects columns, then builds the view.</summary>
    public sealed class Builder
    {
        private readonly int _rows;
        private readonly DataViewSchema.Builder _schema = new();
        private readonly List<IColumnData> _columns = [];
        private readonly HashSet<string> _names = [];

        internal Builder(int rows)
        {
            if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "Row count must be non-negative.");
            _rows = rows;
        }

        /// <summary>Adds a known-size vector column of floats stored as one flat array of rows x size.</summary>
        /// <param name="name">Column name.</param>
        /// <param name="values">rows x size values, row-major.</param>
        /// <param name="dimensions">The shape of one row's vector, for example (C, H, W); the product is the vector size.</param>
        /// <param name="slotNames">Optional slot names (one per element).</param>
        /// <param name="annotations">Optional further annotations.</param>
        public Builder AddVector(string name, float[] values, int[] dimensions, IReadOnlyList<string>? slotNames = null, DataViewSchema.Annotations? annotations = null)
        {
            ArgumentNullException.ThrowIfNull(values);
            ArgumentNullException.ThrowIfNull(dimensions);
            var type = new VectorDataViewType(NumberDataViewType.Single, dimensions);
            int size = type.Size;
            if (size <= 0) throw new ArgumentException($"Column '{name}': the vector size must be positive. Got dimensions ({string.Join(", ", dimensions)}).", nameof(dimensions));
            if (values.LongLength != (long)_rows * size)
                throw new ArgumentException($"Column '{name}': expected {_rows} rows x {size} = {(long)_rows * size} values. Got {values.LongLength} instead.", nameof(values));
            var builder = new DataViewSchema.Annotations.Builder();
            if (annotations is not null) builder.Add(annotations, _ => true);
            if (slotNames is not null)
            {
                if (slotNames.Count != size) throw new ArgumentException($"Column '{name}': expected {size} slot names. Got {slotNames.Count} instead.", nameof(slotNames));
                builder.Add("SlotNames", new VectorDataViewType(TextDataViewType.Instance, size), (ref VBuffer<ReadOnlyMemory<char>> dst) => dst = TextVector(slotNames));
            }
            return Add(name, type, builder.ToAnnotations(), new VectorColumn(values, size));
        }

        /// <summary>Adds a key column (ML.NET's type for class labels) whose values are the class indices, with the class names as key values.</summary>
        /// <param name="name">Column name.</param>
        /// <param name="classIndices">Zero-based class indices.</param>
        /// <param name="classNames">One name per class.</param>
        public Builder AddKey(string name, int[] classIndices, IReadOnlyList<string> classNames)
        {
            ArgumentNullException.ThrowIfNull(classIndices);
            ArgumentNullException.ThrowIfNull(classNames);
            CheckLength(name, classIndices.Length);
            // ML.NET keys are 1-based (0 means missing).
            var keys = new uint[classIndices.Length];
            for (int i = 0; i < keys.Length; i++)
            {
                if ((uint)classIndices[i] >= (uint)classNames.Count)
                    throw new ArgumentException($"Column '{name}': value {classIndices[i]} at row {i} is outside [0, {classNames.Count}).", nameof(classIndices));
                keys[i] = (uint)classIndices[i] + 1;
            }
            var builder = new DataViewSchema.Annotations.Builder();
            builder.Add("KeyValues", new VectorDataViewType(TextDataViewType.Instance, classNames.Count), (ref VBuffer<ReadOnlyMemory<char>> dst) => dst = TextVector(classNames));
            return Add(name, new KeyDataViewType(typeof(uint), classNames.Count), builder.ToAnnotations(), new ScalarColumn<uint>(keys));
        }

        /// <summary>Adds a scalar column (int, float, double, bool, uint, long or text).</summary>
        /// <typeparam name="T">The value type.</typeparam>
        /// <param name="name">Column name.</param>
        /// <param name="values">One value per row.</param>
        public Builder AddScalar<T>(string name, T[] values)
        {
            ArgumentNullException.ThrowIfNull(values);
            CheckLength(name, values.Length);
            DataViewType type = typeof(T) switch
            {
                var t when t == typeof(int) => NumberDataViewType.Int32,
                var t when t == typeof(uint) => NumberDataViewType.UInt32,
                var t when t == typeof(long) => NumberDataViewType.Int64,
                var t when t == typeof(float) => NumberDataViewType.Single,
                var t when t == typeof(double) => NumberDataViewType.Double,
                var t when t == typeof(bool) => BooleanDataViewType.Instance,
                var t when t == typeof(ReadOnlyMemory<char>) => TextDataViewType.Instance,
                _ => throw new NotSupportedException($"Column '{name}': scalar columns of {typeof(T).Name} are not supported."),
            };
            return Add(name, type, null, new ScalarColumn<T>(values));
        }

        /// <summary>Builds the view.</summary>
        public InMemoryDataView Build() => new(_schema.ToSchema(), _columns.ToArray(), _rows);

        private void CheckLength(string name, int length)
        {
            if (length != _rows) throw new ArgumentException($"Column '{name}': expected {_rows} rows. Got {length} instead.");
        }

        private Builder Add(string name, DataViewType type, DataViewSchema.Annotations? annotations, IColumnData data)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            if (!_names.Add(name)) throw new ArgumentException($"Column '{name}' was added twice.", nameof(name));
            _schema.AddColumn(name, type, annotations);
            _columns.Add(data);
            return this;
        }
    }

    internal static VBuffer<ReadOnlyMemory<char>> TextVector(IReadOnlyList<string> values)
        => new(values.Count, values.Select(v => v.AsMemory()).ToArray());

    private interface IColumnData
    {
        Delegate MakeGetter(Cursor cursor);
    }

    private sealed class VectorColumn(float[] values, int size) : IColumnData
    {
        public Delegate MakeGetter(Cursor cursor) => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> dst) =>
        {
            var editor = VBufferEditor.Create(ref dst, size);
            values.AsSpan(checked((int)(cursor.Position * size)), size).CopyTo(editor.Values);
            dst = editor.Commit();
        });
    }

    private sealed class ScalarColumn<T>(T[] values) : IColumnData
    {
        public Delegate MakeGetter(Cursor cursor) => (ValueGetter<T>)((ref T dst) => dst = values[cursor.Position]);
    }

    private sealed class Cursor(InMemoryDataView view, HashSet<int> active) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when this cursor was created.");
            return view._columns[column.Index].MakeGetter(this) as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}, not {typeof(TValue).Name}.");
        }

        public override ValueGetter<DataViewRowId> GetIdGetter()
            => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override bool MoveNext()
        {
            if (_position + 1 >= view.RowCount)
            {
                _position = view.RowCount;
                return false;
            }
            _position++;
            return true;
        }
    }
}

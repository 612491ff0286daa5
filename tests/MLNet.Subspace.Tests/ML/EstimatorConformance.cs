using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Subspace.ML;

namespace MLNet.Subspace.Tests.ML;

/// <summary>The checks <see cref="EstimatorConformance{TTransformer, TRow, TPrediction}"/> runs, one test each.</summary>
public enum ConformanceCheck
{
    /// <summary><c>GetOutputSchema(SchemaShape)</c> promises what the fitted transformer delivers: names, kinds, item types, keys; the values have the declared sizes.</summary>
    SchemaPropagation,

    /// <summary><c>Transform</c> opens no cursor and reads no row of its input; a cursor does.</summary>
    LazyTransform,

    /// <summary>Every output column, pass-through ones included, can be read alone and equals the same column read with all others.</summary>
    ColumnsReadAlone,

    /// <summary>The row mapper and <c>PredictionEngine</c> agree with the batch <c>Transform</c> on the same rows (within the case's tolerance).</summary>
    PredictionEngine,

    /// <summary>The transformer's own <c>Save(path)</c>/<c>Load</c> round trip gives bit-identical outputs.</summary>
    SaveLoadRoundTrip,

    /// <summary><c>GetRowCursorSet</c> (consumed on parallel threads) and concurrent serial cursors give the rows of one serial cursor.</summary>
    ParallelCursors,

    /// <summary>A missing or wrongly typed input column fails in <c>GetOutputSchema</c>, <c>Fit</c> and the transformer's schema and <c>Transform</c>, naming the column.</summary>
    BadSchema,
}

/// <summary>
/// One estimator conformance harness for every estimator of <c>src/MLNet.Subspace/ML</c>, after ML.NET's own
/// <c>TestEstimatorCore(estimator, validFitInput, invalidInput)</c> (test/Microsoft.ML.TestFramework/DataPipe/TestDataPipeBase.cs):
/// give it the estimator, small valid data and how the transformer saves itself; it derives the invalid-schema inputs.
/// </summary>
/// <typeparam name="TTransformer">The fitted transformer.</typeparam>
/// <typeparam name="TRow">A PredictionEngine input class: the input column(s), read from the valid data with CreateEnumerable.</typeparam>
/// <typeparam name="TPrediction">A PredictionEngine output class: every property (named by [ColumnName] or its own name) is compared with the batch output.</typeparam>
internal sealed class EstimatorConformance<TTransformer, TRow, TPrediction>
    where TTransformer : class, ITransformer
    where TRow : class, new()
    where TPrediction : class, new()
{
    /// <summary>The ML.NET context the estimator was made with.</summary>
    public required MLContext Context { get; init; }

    /// <summary>Makes the estimator (fresh for every check).</summary>
    public required Func<IEstimator<TTransformer>> Estimator { get; init; }

    /// <summary>Valid fit (and transform) data: small, so every check runs in seconds.</summary>
    public required IDataView Valid { get; init; }

    /// <summary>The estimator's input column: the one the bad-schema inputs break and the errors must name.</summary>
    public required string InputColumn { get; init; }

    /// <summary>Saves with the transformer's own <c>Save(path)</c> and loads it back.</summary>
    public required Func<TTransformer, string, ITransformer> SaveAndLoad { get; init; }

    /// <summary>
    /// How far a row mapped alone (PredictionEngine, batch of one) may differ from the same row in the batch Transform:
    /// |a - b| &lt;= tolerance * max(1, |a|) per value; discrete columns (keys, integers) must be equal. 0 = bit-identical.
    /// </summary>
    public double RowTolerance { get; init; }

    public void Run(ConformanceCheck check)
    {
        switch (check)
        {
            case ConformanceCheck.SchemaPropagation: SchemaPropagation(); break;
            case ConformanceCheck.LazyTransform: LazyTransform(); break;
            case ConformanceCheck.ColumnsReadAlone: ColumnsReadAlone(); break;
            case ConformanceCheck.PredictionEngine: PredictionEngine(); break;
            case ConformanceCheck.SaveLoadRoundTrip: SaveLoadRoundTrip(); break;
            case ConformanceCheck.ParallelCursors: ParallelCursors(); break;
            case ConformanceCheck.BadSchema: BadSchema(); break;
            default: throw new ArgumentOutOfRangeException(nameof(check), check, null);
        }
    }

    /// <summary>Every check, as TestEstimatorCore does in one call.</summary>
    public void RunAll()
    {
        foreach (var check in Enum.GetValues<ConformanceCheck>()) Run(check);
    }

    private TTransformer Fit() => Estimator().Fit(Valid);

    // ------------------------------------------------------------------ the checks

    private void SchemaPropagation()
    {
        var promised = Estimator().GetOutputSchema(Conformance.ShapeOf(Valid.Schema));
        var transformer = Fit();
        var schema = transformer.GetOutputSchema(Valid.Schema);
        var transformed = transformer.Transform(Valid);

        Conformance.AssertSameShape(promised, Conformance.ShapeOf(schema));
        Assert.Equal(Conformance.Describe(schema), Conformance.Describe(transformed.Schema));
        Assert.True(Valid.Schema.All(c => schema.GetColumnOrNull(c.Name) is not null), "an input column was dropped");

        // The declared types hold for the values: known-size vectors have their size, keys lie in [0, Count].
        var rows = Conformance.ReadAll(transformed).Cells;
        Assert.Equal(Conformance.Count(Valid), rows.Count);
        foreach (var column in transformed.Schema)
        {
            var item = column.Type is VectorDataViewType v ? v.ItemType : column.Type;
            foreach (var row in rows)
            {
                if (row[column.Index] is not double[] values) continue;
                if (column.Type is VectorDataViewType { IsKnownSize: true } known)
                    Assert.True(values.Length == known.Size, $"column '{column.Name}' declares {known.Size} values, a row holds {values.Length}");
                if (item is KeyDataViewType key)
                    Assert.All(values, k => Assert.InRange(k, 0, key.Count));
            }
        }
    }

    private void LazyTransform()
    {
        var transformer = Fit();
        var counting = new CountingDataView(Valid);

        var transformed = transformer.Transform(counting);
        _ = transformed.Schema;
        _ = transformer.GetOutputSchema(counting.Schema);

        Assert.Equal(0, counting.CursorsOpened);
        Assert.Equal(0, counting.RowsRead);

        // The counter itself works: one row of output reads input.
        using (var cursor = transformed.GetRowCursor(transformed.Schema))
        {
            var getters = transformed.Schema.Select(c => Conformance.Reader(cursor, c)).ToList();
            Assert.True(cursor.MoveNext());
            foreach (var get in getters) get();
        }
        Assert.True(counting.CursorsOpened > 0);
        Assert.True(counting.RowsRead > 0);
    }

    private void ColumnsReadAlone()
    {
        var transformed = Fit().Transform(Valid);
        var all = Conformance.ReadAll(transformed).Cells;
        foreach (var column in transformed.Schema)
        {
            List<object[]> alone;
            try
            {
                alone = Conformance.ReadAll(transformed, [column]).Cells;
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"Reading column '{column.Name}' alone threw {e.GetType().Name}: {e.Message}");
            }
            Assert.Equal(all.Count, alone.Count);
            for (int r = 0; r < all.Count; r++)
                Conformance.AssertCell(all[r][column.Index], alone[r][0], 0, $"column '{column.Name}' read alone, row {r}");
        }
    }

    private void PredictionEngine()
    {
        var transformer = Fit();
        var transformed = transformer.Transform(Valid);
        var batch = Conformance.ReadAll(transformed).Cells;

        // The row mapper over the data's own rows: every output column, pass-through ones included.
        var mapper = transformer.GetRowToRowMapper(Valid.Schema);
        Assert.Equal(Conformance.Describe(transformed.Schema), Conformance.Describe(mapper.OutputSchema));
        var dependencies = mapper.GetDependencies(mapper.OutputSchema).ToList();
        Assert.Contains(dependencies, c => c.Name == InputColumn);
        using (var input = Valid.GetRowCursor(dependencies))
        {
            using var row = mapper.GetRow(input, mapper.OutputSchema);
            var getters = mapper.OutputSchema.Select(c => Conformance.Reader(row, c)).ToList();
            int r = 0;
            while (input.MoveNext())
            {
                foreach (var column in mapper.OutputSchema)
                    Conformance.AssertCell(batch[r][column.Index], getters[column.Index](), ToleranceFor(column), $"row mapper, column '{column.Name}', row {r}");
                r++;
            }
            Assert.Equal(batch.Count, r);
        }

        // ML.NET's PredictionEngine over typed rows made from the same data.
        var rows = Context.Data.CreateEnumerable<TRow>(Valid, reuseRowObject: false).ToList();
        var properties = typeof(TPrediction).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Column: transformed.Schema[ColumnNameOf(p)])).ToList();
        using var engine = Context.Model.CreatePredictionEngine<TRow, TPrediction>(transformer, ignoreMissingColumns: false);
        for (int r = 0; r < rows.Count; r++)
        {
            var prediction = engine.Predict(rows[r]);
            foreach (var (property, column) in properties)
                Conformance.AssertCell(batch[r][column.Index], Conformance.Cell(property.GetValue(prediction)), ToleranceFor(column), $"PredictionEngine, column '{column.Name}', row {r}");
        }
    }

    /// <summary>The column a PredictionEngine property maps to: its [ColumnName] (whose Name ML.NET keeps internal) or its own name.</summary>
    private static string ColumnNameOf(PropertyInfo property)
        => property.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(ColumnNameAttribute))?.ConstructorArguments[0].Value as string ?? property.Name;

    private double ToleranceFor(DataViewSchema.Column column)
        => (column.Type is VectorDataViewType v ? v.ItemType : column.Type) is NumberDataViewType n && (n == NumberDataViewType.Single || n == NumberDataViewType.Double) ? RowTolerance : 0;

    private void SaveLoadRoundTrip()
    {
        var transformer = Fit();
        using var folder = new TempFolder();

        var loaded = SaveAndLoad(transformer, folder.File("transformer.bin"));

        var before = transformer.Transform(Valid);
        var after = loaded.Transform(Valid);
        Assert.Equal(Conformance.Describe(before.Schema), Conformance.Describe(after.Schema));
        var expected = Conformance.ReadAll(before).Cells;
        var actual = Conformance.ReadAll(after).Cells;
        Assert.Equal(expected.Count, actual.Count);
        for (int r = 0; r < expected.Count; r++)
            foreach (var column in before.Schema)
                Conformance.AssertCell(expected[r][column.Index], actual[r][column.Index], 0, $"after Save/Load, column '{column.Name}', row {r}");
    }

    private void ParallelCursors()
    {
        var transformed = Fit().Transform(Valid);
        var (ids, serial) = Conformance.ReadAll(transformed);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var byId = ids.Zip(serial).ToDictionary(p => p.First, p => p.Second);

        foreach (int n in new[] { 1, 2, 4 })
        {
            var cursors = transformed.GetRowCursorSet(transformed.Schema, n);
            Assert.InRange(cursors.Length, 1, n);
            var parts = cursors.Select(c => Task.Run(() => Conformance.Drain(c, transformed.Schema))).ToArray();
            Task.WaitAll(parts);
            foreach (var c in cursors) c.Dispose();
            var rows = parts.SelectMany(p => p.Result).ToList();

            Assert.Equal(serial.Count, rows.Count);
            Assert.Equal(rows.Count, rows.Select(r => r.Id).Distinct().Count());
            foreach (var (id, cells) in rows)
            {
                Assert.True(byId.TryGetValue(id, out var expected), $"cursor set of {n}: row id {id} is not a row of the serial cursor");
                foreach (var column in transformed.Schema)
                    Conformance.AssertCell(expected![column.Index], cells[column.Index], 0, $"cursor set of {n}, column '{column.Name}', row id {id}");
            }
        }

        // Two serial cursors at once, on two threads, see the same rows as one alone.
        var both = Enumerable.Range(0, 2).Select(_ => Task.Run(() => Conformance.ReadAll(transformed).Cells)).ToArray();
        Task.WaitAll(both);
        foreach (var other in both.Select(t => t.Result))
        {
            Assert.Equal(serial.Count, other.Count);
            for (int r = 0; r < serial.Count; r++)
                foreach (var column in transformed.Schema)
                    Conformance.AssertCell(serial[r][column.Index], other[r][column.Index], 0, $"concurrent cursor, column '{column.Name}', row {r}");
        }
    }

    private void BadSchema()
    {
        var transformer = Fit();
        int size = ((VectorDataViewType)Valid.Schema[InputColumn].Type).Size;
        foreach (var (what, data) in Conformance.BadInputs(Context, InputColumn, size, rows: 8))
        {
            var estimator = Estimator();
            var failures = new (string Step, Action Act)[]
            {
                ("estimator.GetOutputSchema", () => estimator.GetOutputSchema(Conformance.ShapeOf(data.Schema))),
                ("estimator.Fit", () => estimator.Fit(data)),
                ("transformer.GetOutputSchema", () => transformer.GetOutputSchema(data.Schema)),
                ("transformer.Transform", () => transformer.Transform(data)),
            };
            foreach (var (step, act) in failures)
            {
                var e = Record.Exception(act);
                Assert.True(e is ArgumentException, $"{step} on {what}: expected an ArgumentException, got {(e is null ? "no exception" : e.GetType().Name + ": " + e.Message)}");
                Assert.True(e!.Message.Contains($"'{InputColumn}'"), $"{step} on {what}: the message does not name column '{InputColumn}': {e.Message}");
            }
        }
    }
}

/// <summary>The helpers of the conformance harness that do not depend on its type parameters.</summary>
internal static class Conformance
{
    /// <summary>The SchemaShape of a schema, as ML.NET's internal SchemaShape.Create makes it (keys: their raw type, IsKey set).</summary>
    public static SchemaShape ShapeOf(DataViewSchema schema) => new(schema.Select(c =>
        Column(c.Name, c.Type, c.Annotations.Schema.Count == 0 ? null : new SchemaShape(c.Annotations.Schema.Select(a => Column(a.Name, a.Type, null))))));

    private static SchemaShape.Column Column(string name, DataViewType type, SchemaShape? annotations)
    {
        var (kind, item) = type is VectorDataViewType v
            ? (v.IsKnownSize ? SchemaShape.Column.VectorKind.Vector : SchemaShape.Column.VectorKind.VariableVector, v.ItemType)
            : (SchemaShape.Column.VectorKind.Scalar, type);
        bool isKey = item is KeyDataViewType;
        if (item is KeyDataViewType key) item = RawNumberType(key.RawType);
        return MLNetInterop.Column(name, kind, item, isKey, annotations);
    }

    private static DataViewType RawNumberType(Type raw)
        => raw == typeof(uint) ? NumberDataViewType.UInt32
        : raw == typeof(ulong) ? NumberDataViewType.UInt64
        : raw == typeof(ushort) ? NumberDataViewType.UInt16
        : raw == typeof(byte) ? NumberDataViewType.Byte
        : throw new NotSupportedException(raw.Name);

    /// <summary>Promised and delivered shapes hold the same columns with the same kind, item type, key-ness and annotations (each
    /// with its kind and type), as ML.NET's own estimator checks require.</summary>
    public static void AssertSameShape(SchemaShape promised, SchemaShape delivered)
    {
        static string Plain(SchemaShape.Column c) => $"{c.Name}: {c.Kind} of {c.ItemType}{(c.IsKey ? " (key)" : "")}";
        static string Line(SchemaShape.Column c) => Plain(c) + " {" + string.Join("; ", c.Annotations.Select(Plain).Order(StringComparer.Ordinal)) + "}";
        Assert.Equal(promised.Select(Line).Order(StringComparer.Ordinal), delivered.Select(Line).Order(StringComparer.Ordinal));
    }

    /// <summary>Names and exact types of a schema's columns, in order.</summary>
    public static string[] Describe(DataViewSchema schema) => schema.Select(c => $"{c.Name}: {c.Type}").ToArray();

    public static int Count(IDataView data)
    {
        int n = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext()) n++;
        return n;
    }

    /// <summary>A reader of one column of a row: numbers come back as double[] (scalars as one value, keys raw), text as string.</summary>
    public static Func<object> Reader(DataViewRow row, DataViewSchema.Column column)
    {
        var type = column.Type;
        var item = type is VectorDataViewType v ? v.ItemType : type;
        bool vector = type is VectorDataViewType;
        return item switch
        {
            KeyDataViewType k when k.RawType == typeof(uint) => Numbers<uint>(row, column, vector, x => x),
            KeyDataViewType k when k.RawType == typeof(ulong) => Numbers<ulong>(row, column, vector, x => x),
            TextDataViewType => vector ? Texts(row, column) : Text(row, column),
            BooleanDataViewType => Numbers<bool>(row, column, vector, x => x ? 1 : 0),
            _ when item == NumberDataViewType.Single => Numbers<float>(row, column, vector, x => x),
            _ when item == NumberDataViewType.Double => Numbers<double>(row, column, vector, x => x),
            _ when item == NumberDataViewType.Int32 => Numbers<int>(row, column, vector, x => x),
            _ when item == NumberDataViewType.UInt32 => Numbers<uint>(row, column, vector, x => x),
            _ when item == NumberDataViewType.Int64 => Numbers<long>(row, column, vector, x => x),
            _ => throw new NotSupportedException($"The conformance harness cannot read column '{column.Name}' of type {type}."),
        };
    }

    private static Func<object> Numbers<T>(DataViewRow row, DataViewSchema.Column column, bool vector, Func<T, double> convert)
    {
        if (vector)
        {
            var getter = row.GetGetter<VBuffer<T>>(column);
            VBuffer<T> buffer = default;
            return () =>
            {
                getter(ref buffer);
                return buffer.DenseValues().Select(convert).ToArray();
            };
        }
        var scalar = row.GetGetter<T>(column);
        return () =>
        {
            T value = default!;
            scalar(ref value);
            return new[] { convert(value) };
        };
    }

    private static Func<object> Text(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<ReadOnlyMemory<char>>(column);
        return () =>
        {
            ReadOnlyMemory<char> value = default;
            getter(ref value);
            return value.ToString();
        };
    }

    private static Func<object> Texts(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column);
        VBuffer<ReadOnlyMemory<char>> buffer = default;
        return () =>
        {
            getter(ref buffer);
            return string.Join("\u001f", buffer.DenseValues().Select(t => t.ToString()));
        };
    }

    /// <summary>A PredictionEngine output property's value as a cell (see <see cref="Reader"/>).</summary>
    public static object Cell(object? value) => value switch
    {
        float f => new double[] { f },
        double d => new[] { d },
        uint u => new double[] { u },
        int i => new double[] { i },
        long l => new double[] { l },
        bool b => new double[] { b ? 1 : 0 },
        float[] fs => fs.Select(x => (double)x).ToArray(),
        double[] ds => ds,
        int[] ints => ints.Select(x => (double)x).ToArray(),
        uint[] uints => uints.Select(x => (double)x).ToArray(),
        string s => s,
        _ => throw new NotSupportedException($"The conformance harness cannot compare a {value?.GetType().Name ?? "null"}."),
    };

    /// <summary>Every row of the given columns (all when null): the row ids and, per row, one cell per requested column (in the order asked).</summary>
    public static (List<DataViewRowId> Ids, List<object[]> Cells) ReadAll(IDataView data, IReadOnlyList<DataViewSchema.Column>? columns = null)
    {
        columns ??= data.Schema.ToList();
        using var cursor = data.GetRowCursor(columns);
        var rows = Drain(cursor, columns);
        return (rows.Select(r => r.Id).ToList(), rows.Select(r => r.Cells).ToList());
    }

    /// <summary>Reads a cursor to its end.</summary>
    public static List<(DataViewRowId Id, object[] Cells)> Drain(DataViewRowCursor cursor, IEnumerable<DataViewSchema.Column> columns)
    {
        var getters = columns.Select(c => Reader(cursor, c)).ToList();
        var id = cursor.GetIdGetter();
        var rows = new List<(DataViewRowId, object[])>();
        while (cursor.MoveNext())
        {
            DataViewRowId rowId = default;
            id(ref rowId);
            rows.Add((rowId, getters.Select(g => g()).ToArray()));
        }
        return rows;
    }

    /// <summary>Equal cells: strings exactly, numbers within |a - b| &lt;= tolerance * max(1, |a|) (0: bit-identical, NaN equal to NaN).</summary>
    public static void AssertCell(object expected, object actual, double tolerance, string where)
    {
        if (expected is string s)
        {
            Assert.True(s == actual as string, $"{where}: expected '{s}', got '{actual}'");
            return;
        }
        var a = (double[])expected;
        var b = Assert.IsType<double[]>(actual);
        Assert.True(a.Length == b.Length, $"{where}: expected {a.Length} values, got {b.Length}");
        for (int i = 0; i < a.Length; i++)
        {
            bool same = tolerance == 0 ? a[i].Equals(b[i]) : Math.Abs(a[i] - b[i]) <= tolerance * Math.Max(1, Math.Abs(a[i]));
            Assert.True(same, $"{where}, slot {i}: expected {a[i]:R}, got {b[i]:R} (tolerance {tolerance})");
        }
    }

    private sealed class ScalarRow
    {
        public float Value { get; set; }
    }

    private sealed class VectorRow
    {
        public float[] Value { get; set; } = [];
    }

    private sealed class DoubleRow
    {
        public double[] Value { get; set; } = [];
    }

    /// <summary>Inputs whose schema is wrong for <paramref name="column"/>: missing (another name), a scalar, a vector of Double, a variable-size vector.</summary>
    public static IEnumerable<(string What, IDataView Data)> BadInputs(MLContext ml, string column, int size, int rows)
    {
        var rng = new Random(5);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();

        yield return ("a view without the column", InMemoryDataView.Create(rows).AddVector(column + "_other", Values(rows * size), [size]).Build());
        yield return ("a scalar column", Load(ml, Enumerable.Range(0, rows).Select(_ => new ScalarRow { Value = (float)rng.NextDouble() }), column, NumberDataViewType.Single));
        yield return ("a vector of Double", Load(ml, Enumerable.Range(0, rows).Select(_ => new DoubleRow { Value = Values(size).Select(v => (double)v).ToArray() }), column, new VectorDataViewType(NumberDataViewType.Double, size)));
        yield return ("a variable-size vector", Load(ml, Enumerable.Range(0, rows).Select(r => new VectorRow { Value = Values(size - r % 2) }), column, new VectorDataViewType(NumberDataViewType.Single)));
    }

    private static IDataView Load<T>(MLContext ml, IEnumerable<T> rows, string column, DataViewType type) where T : class
    {
        var definition = SchemaDefinition.Create(typeof(T));
        definition[0].ColumnName = column;
        definition[0].ColumnType = type;
        return ml.Data.LoadFromEnumerable(rows.ToList(), definition);
    }
}

/// <summary>A view that counts the cursors opened on it and the rows they move over (to show a Transform is lazy).</summary>
internal sealed class CountingDataView(IDataView inner) : IDataView
{
    private int _cursors;
    private long _rows;

    public int CursorsOpened => _cursors;

    public long RowsRead => Interlocked.Read(ref _rows);

    public bool CanShuffle => inner.CanShuffle;

    public DataViewSchema Schema => inner.Schema;

    public long? GetRowCount() => inner.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        Interlocked.Increment(ref _cursors);
        return new Cursor(this, inner.GetRowCursor(columnsNeeded, rand));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var set = inner.GetRowCursorSet(columnsNeeded, n, rand);
        Interlocked.Add(ref _cursors, set.Length);
        return set.Select(c => (DataViewRowCursor)new Cursor(this, c)).ToArray();
    }

    private sealed class Cursor(CountingDataView owner, DataViewRowCursor inner) : DataViewRowCursor
    {
        public override DataViewSchema Schema => inner.Schema;

        public override long Position => inner.Position;

        public override long Batch => inner.Batch;

        public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => inner.GetGetter<TValue>(column);

        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

        public override bool MoveNext()
        {
            bool moved = inner.MoveNext();
            if (moved) Interlocked.Increment(ref owner._rows);
            return moved;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}

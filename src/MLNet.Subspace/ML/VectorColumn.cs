using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.Subspace.ML;

/// <summary>
/// Reads whole columns of an <see cref="IDataView"/> into arrays for the numerics, with the checks
/// and error messages every estimator shares.
/// </summary>
public static class VectorColumn
{
    /// <summary>Checks that <paramref name="column"/> is a known-size vector of Single in an input schema shape (for GetOutputSchema).</summary>
    /// <param name="schema">The input schema shape.</param>
    /// <param name="column">The column name.</param>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or of the wrong type.</exception>
    public static void CheckShape(SchemaShape schema, string column)
    {
        var found = schema.Where(c => c.Name == column).ToList();
        if (found.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(schema), $"Input column '{column}' not found. The data has: {string.Join(", ", schema.Select(c => c.Name))}.");
        var col = found[0];
        if (col.Kind != SchemaShape.Column.VectorKind.Vector || col.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(schema), $"Schema mismatch for input column '{column}': expected known-size vector of Single, got {Describe(col)}.");
    }

    /// <summary>Checks that <paramref name="column"/> is a known-size vector of Single and returns its size.</summary>
    /// <param name="schema">The data's schema.</param>
    /// <param name="column">The column name.</param>
    /// <returns>The vector size.</returns>
    public static int CheckSchema(DataViewSchema schema, string column)
    {
        var col = schema.GetColumnOrNull(column)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Input column '{column}' not found. The data has: {string.Join(", ", schema.Select(c => c.Name))}.");
        if (col.Type is not VectorDataViewType { ItemType: NumberDataViewType, IsKnownSize: true } v || v.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(schema), $"Schema mismatch for input column '{column}': expected known-size vector of Single, got {col.Type}.");
        return v.Size;
    }

    /// <summary>Reads every row of a known-size Single vector column as one flat row-major array.</summary>
    /// <param name="data">The data.</param>
    /// <param name="column">The column name.</param>
    /// <returns>rows x size values.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or not a known-size vector of Single.</exception>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite (the message names row and slot).</exception>
    public static (float[] Values, int Rows, int Size) Read(IDataView data, string column)
    {
        ArgumentNullException.ThrowIfNull(data);
        int size = CheckSchema(data.Schema, column);
        var col = data.Schema[column];
        var rows = new List<float[]>();
        using (var cursor = data.GetRowCursor([col]))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(col);
            VBuffer<float> buffer = default;
            while (cursor.MoveNext())
            {
                getter(ref buffer);
                var row = new float[size];
                buffer.CopyTo(row);
                for (int j = 0; j < size; j++)
                {
                    if (!float.IsFinite(row[j]))
                        throw new InvalidOperationException($"Column '{column}', row {rows.Count + 1}, slot {j + 1} (counted from 1): expected a finite number, found {row[j]}.");
                }
                rows.Add(row);
            }
        }
        var values = new float[(long)rows.Count * size];
        for (int r = 0; r < rows.Count; r++) rows[r].CopyTo(values, (long)r * size);
        return (values, rows.Count, size);
    }

    /// <summary>Reads a label column as zero-based class indices: key columns (1-based in ML.NET) and integer or integral float columns.</summary>
    /// <param name="data">The data.</param>
    /// <param name="column">The label column.</param>
    /// <returns>One class index per row; missing keys and negative values are errors.</returns>
    public static int[] ReadLabels(IDataView data, string column)
    {
        ArgumentNullException.ThrowIfNull(data);
        var col = data.Schema.GetColumnOrNull(column)
            ?? throw new ArgumentOutOfRangeException(nameof(column), $"Label column '{column}' not found. The data has: {string.Join(", ", data.Schema.Select(c => c.Name))}.");
        IEnumerable<long> raw = col.Type switch
        {
            KeyDataViewType { RawType: var t } when t == typeof(uint) => data.GetColumn<uint>(col).Select(k => (long)k - 1),
            var t when t == NumberDataViewType.Int32 => data.GetColumn<int>(col).Select(v => (long)v),
            var t when t == NumberDataViewType.Int64 => data.GetColumn<long>(col),
            var t when t == NumberDataViewType.UInt32 => data.GetColumn<uint>(col).Select(v => (long)v),
            var t when t == NumberDataViewType.Single => data.GetColumn<float>(col).Select(v => Integral(v, column)),
            var t when t == NumberDataViewType.Double => data.GetColumn<double>(col).Select(v => Integral(v, column)),
            _ => throw new ArgumentOutOfRangeException(nameof(column), $"Schema mismatch for label column '{column}': expected a key, integer or integral float column, got {col.Type}."),
        };
        var labels = new List<int>();
        foreach (long v in raw)
        {
            if (v < 0 || v > int.MaxValue)
                throw new InvalidOperationException($"Label column '{column}', row {labels.Count + 1} (counted from 1): expected a class index of 0 or more (a key that is not missing), found {v}.");
            labels.Add((int)v);
        }
        return labels.ToArray();
    }

    private static long Integral(double v, string column)
        => v == Math.Floor(v) && double.IsFinite(v) ? (long)v : throw new InvalidOperationException($"Label column '{column}': expected integral class values, found {v}.");

    private static string Describe(SchemaShape.Column col) => col.Kind switch
    {
        SchemaShape.Column.VectorKind.Scalar => $"scalar {col.ItemType}",
        SchemaShape.Column.VectorKind.VariableVector => $"variable-size vector of {col.ItemType}",
        _ => $"vector of {col.ItemType}",
    };
}

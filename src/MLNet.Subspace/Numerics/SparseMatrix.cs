using TorchSharp;

namespace MLNet.Subspace.Numerics;

/// <summary>
/// An immutable sparse matrix in compressed sparse row (CSR) form with double values: the storage
/// shared by affinity graphs, coefficient matrices and the graph analytics.
/// </summary>
/// <remarks>Within a row, column indices are strictly increasing (no duplicates).</remarks>
public sealed class SparseMatrix
{
    private SparseMatrix(int rows, int columns, int[] rowPointers, int[] columnIndices, double[] values)
    {
        Rows = rows;
        Columns = columns;
        RowPointers = rowPointers;
        ColumnIndices = columnIndices;
        Values = values;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>Rows + 1 offsets into <see cref="ColumnIndices"/> and <see cref="Values"/>.</summary>
    public int[] RowPointers { get; }

    /// <summary>Column of each stored value.</summary>
    public int[] ColumnIndices { get; }

    /// <summary>The stored values.</summary>
    public double[] Values { get; }

    /// <summary>Number of stored values.</summary>
    public int NonZeroCount => Values.Length;

    /// <summary>Column indices of row <paramref name="row"/>.</summary>
    /// <param name="row">Row index.</param>
    public ReadOnlySpan<int> RowIndices(int row) => ColumnIndices.AsSpan(RowPointers[row], RowPointers[row + 1] - RowPointers[row]);

    /// <summary>Values of row <paramref name="row"/>.</summary>
    /// <param name="row">Row index.</param>
    public ReadOnlySpan<double> RowValues(int row) => Values.AsSpan(RowPointers[row], RowPointers[row + 1] - RowPointers[row]);

    /// <summary>Builds a matrix from (row, column, value) triplets; duplicates are summed, explicit zeros dropped.</summary>
    /// <param name="rows">Row count.</param>
    /// <param name="columns">Column count.</param>
    /// <param name="rowIndex">Row of each triplet.</param>
    /// <param name="columnIndex">Column of each triplet.</param>
    /// <param name="values">Value of each triplet.</param>
    public static SparseMatrix FromTriplets(int rows, int columns, ReadOnlySpan<int> rowIndex, ReadOnlySpan<int> columnIndex, ReadOnlySpan<double> values)
    {
        if (rowIndex.Length != columnIndex.Length || rowIndex.Length != values.Length)
            throw new ArgumentException($"Triplet arrays differ in length: {rowIndex.Length} rows, {columnIndex.Length} columns, {values.Length} values.");
        var counts = new int[rows + 1];
        for (int t = 0; t < rowIndex.Length; t++)
        {
            if ((uint)rowIndex[t] >= (uint)rows || (uint)columnIndex[t] >= (uint)columns)
                throw new ArgumentOutOfRangeException(nameof(rowIndex), $"Triplet {t} at ({rowIndex[t]}, {columnIndex[t]}) is outside {rows}x{columns}.");
            counts[rowIndex[t] + 1]++;
        }
        for (int r = 0; r < rows; r++) counts[r + 1] += counts[r];
        var cols = new int[rowIndex.Length];
        var vals = new double[rowIndex.Length];
        var next = (int[])counts.Clone();
        for (int t = 0; t < rowIndex.Length; t++)
        {
            int slot = next[rowIndex[t]]++;
            cols[slot] = columnIndex[t];
            vals[slot] = values[t];
        }
        // Sort each row by column, merge duplicates, drop zeros.
        var outPtr = new int[rows + 1];
        var outCols = new List<int>(cols.Length);
        var outVals = new List<double>(vals.Length);
        for (int r = 0; r < rows; r++)
        {
            int start = counts[r], length = counts[r + 1] - counts[r];
            Array.Sort(cols, vals, start, length);
            for (int k = start; k < start + length; k++)
            {
                double v = vals[k];
                while (k + 1 < start + length && cols[k + 1] == cols[k]) v += vals[++k];
                if (v == 0) continue;
                outCols.Add(cols[k]);
                outVals.Add(v);
            }
            outPtr[r + 1] = outCols.Count;
        }
        return new SparseMatrix(rows, columns, outPtr, outCols.ToArray(), outVals.ToArray());
    }

    /// <summary>The non-zero entries of a dense row-major matrix.</summary>
    /// <param name="dense">Rows*Columns values, row-major.</param>
    /// <param name="rows">Row count.</param>
    /// <param name="columns">Column count.</param>
    public static SparseMatrix FromDense(ReadOnlySpan<double> dense, int rows, int columns)
    {
        if (dense.Length != (long)rows * columns)
            throw new ArgumentException($"Expected {rows}x{columns} = {(long)rows * columns} values. Got {dense.Length} instead.", nameof(dense));
        var ptr = new int[rows + 1];
        var cols = new List<int>();
        var vals = new List<double>();
        for (int r = 0; r < rows; r++)
        {
            var row = dense.Slice(r * columns, columns);
            for (int c = 0; c < columns; c++)
            {
                if (row[c] == 0) continue;
                cols.Add(c);
                vals.Add(row[c]);
            }
            ptr[r + 1] = cols.Count;
        }
        return new SparseMatrix(rows, columns, ptr, cols.ToArray(), vals.ToArray());
    }

    /// <summary>The transpose.</summary>
    public SparseMatrix Transpose()
    {
        var rowIdx = new int[NonZeroCount];
        for (int r = 0; r < Rows; r++)
            for (int k = RowPointers[r]; k < RowPointers[r + 1]; k++) rowIdx[k] = r;
        return FromTriplets(Columns, Rows, ColumnIndices, rowIdx, Values);
    }

    /// <summary>The square sub-matrix on <paramref name="indices"/> (rows and columns), in that order: entry (a, b) = this[indices[a], indices[b]].</summary>
    /// <param name="indices">Distinct row/column indices.</param>
    public SparseMatrix Submatrix(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var position = new Dictionary<int, int>(indices.Count);
        for (int a = 0; a < indices.Count; a++)
        {
            if ((uint)indices[a] >= (uint)Math.Min(Rows, Columns))
                throw new ArgumentOutOfRangeException(nameof(indices), indices[a], $"Index must be in [0, {Math.Min(Rows, Columns)}).");
            if (!position.TryAdd(indices[a], a)) throw new ArgumentException($"Index {indices[a]} appears twice.", nameof(indices));
        }
        var rows = new List<int>();
        var cols = new List<int>();
        var vals = new List<double>();
        for (int a = 0; a < indices.Count; a++)
        {
            int r = indices[a];
            for (int k = RowPointers[r]; k < RowPointers[r + 1]; k++)
            {
                if (!position.TryGetValue(ColumnIndices[k], out int b)) continue;
                rows.Add(a);
                cols.Add(b);
                vals.Add(Values[k]);
            }
        }
        return FromTriplets(indices.Count, indices.Count, rows.ToArray(), cols.ToArray(), vals.ToArray());
    }

    /// <summary>Writes the matrix in a compact binary form (dimensions, then the CSR arrays).</summary>
    /// <param name="writer">The writer.</param>
    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Rows);
        writer.Write(Columns);
        writer.Write(NonZeroCount);
        foreach (int p in RowPointers) writer.Write(p);
        foreach (int c in ColumnIndices) writer.Write(c);
        foreach (double v in Values) writer.Write(v);
    }

    /// <summary>Reads a matrix written by <see cref="Write"/>, checking its structure.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="source">Names the data in errors (a file path).</param>
    /// <exception cref="InvalidDataException">The data is truncated or not a valid CSR matrix.</exception>
    public static SparseMatrix Read(BinaryReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            int rows = reader.ReadInt32(), columns = reader.ReadInt32(), nnz = reader.ReadInt32();
            if (rows < 0 || columns < 0 || nnz < 0) throw new InvalidDataException($"{source}: corrupt sparse matrix header ({rows}x{columns}, {nnz} values).");
            var ptr = new int[rows + 1];
            for (int i = 0; i <= rows; i++) ptr[i] = reader.ReadInt32();
            var cols = new int[nnz];
            for (int t = 0; t < nnz; t++) cols[t] = reader.ReadInt32();
            var vals = new double[nnz];
            for (int t = 0; t < nnz; t++) vals[t] = reader.ReadDouble();
            if (ptr[0] != 0 || ptr[rows] != nnz) throw new InvalidDataException($"{source}: corrupt row pointers.");
            for (int r = 0; r < rows; r++)
            {
                if (ptr[r] > ptr[r + 1]) throw new InvalidDataException($"{source}: corrupt row pointers at row {r}.");
                for (int t = ptr[r]; t < ptr[r + 1]; t++)
                    if ((uint)cols[t] >= (uint)columns || (t > ptr[r] && cols[t] <= cols[t - 1]))
                        throw new InvalidDataException($"{source}: row {r} has column indices out of order or out of range.");
            }
            return new SparseMatrix(rows, columns, ptr, cols, vals);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{source}: the sparse matrix data is truncated.", e);
        }
    }

    /// <summary>Sum of each row.</summary>
    public double[] RowSums()
    {
        var sums = new double[Rows];
        for (int r = 0; r < Rows; r++)
        {
            double s = 0;
            foreach (double v in RowValues(r)) s += v;
            sums[r] = s;
        }
        return sums;
    }

    /// <summary>The matrix as a dense row-major array.</summary>
    public double[] ToDenseArray()
    {
        var dense = new double[(long)Rows * Columns];
        for (int r = 0; r < Rows; r++)
            for (int k = RowPointers[r]; k < RowPointers[r + 1]; k++) dense[(long)r * Columns + ColumnIndices[k]] = Values[k];
        return dense;
    }

    /// <summary>The matrix as a dense float64 tensor on <paramref name="device"/>.</summary>
    /// <param name="device">Where the tensor lives; default CPU.</param>
    public torch.Tensor ToDenseTensor(torch.Device? device = null)
        => torch.tensor(ToDenseArray(), [Rows, Columns], torch.float64, device ?? torch.CPU);
}

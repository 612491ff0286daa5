using MLNet.Subspace.Numerics;

namespace MLNet.Subspace.Tests.Numerics;

public class SparseMatrixTests
{
    [Fact]
    public void Triplets_Are_Sorted_Summed_And_Zeros_Dropped()
    {
        var m = SparseMatrix.FromTriplets(2, 3, [1, 0, 1, 0, 1], [2, 1, 0, 1, 1], [5.0, 1.0, 2.0, 2.0, 0.0]);

        Assert.Equal([0, 1, 3], m.RowPointers);
        Assert.Equal([1, 0, 2], m.ColumnIndices);
        Assert.Equal([3.0, 2.0, 5.0], m.Values);
        Assert.Equal([0, 3, 0, 2, 0, 5], m.ToDenseArray());
    }

    [Fact]
    public void Transpose_And_Dense_Round_Trip_Agree_With_Index_Arithmetic()
    {
        var rng = new Random(5);
        int rows = 7, cols = 4;
        var dense = Enumerable.Range(0, rows * cols).Select(_ => rng.NextDouble() < 0.4 ? rng.NextDouble() : 0).ToArray();

        var m = SparseMatrix.FromDense(dense, rows, cols);
        var t = m.Transpose().ToDenseArray();

        Assert.Equal(dense, m.ToDenseArray());
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) Assert.Equal(dense[r * cols + c], t[c * rows + r]);
        Assert.Equal(Enumerable.Range(0, rows).Select(r => dense.Skip(r * cols).Take(cols).Sum()), m.RowSums());
        using var tensor = m.ToDenseTensor();
        Assert.Equal(dense, tensor.data<double>().ToArray());
    }

    [Fact]
    public void Out_Of_Range_Triplet_Is_Named()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SparseMatrix.FromTriplets(2, 2, [0, 2], [0, 0], [1.0, 1.0]));

        Assert.Contains("Triplet 1 at (2, 0)", e.Message);
    }
}

public class SparseMatrixSubmatrixTests
{
    [Fact]
    public void Submatrix_Picks_Rows_And_Columns_In_The_Given_Order()
    {
        double[] dense = [0, 1, 2, 3, 4, 5, 6, 7, 8];
        var m = SparseMatrix.FromDense(dense, 3, 3);

        var s = m.Submatrix([2, 0]);

        Assert.Equal([8.0, 6.0, 2.0, 0.0], s.ToDenseArray());
        Assert.Throws<ArgumentException>(() => m.Submatrix([1, 1]));
    }
}

public class SparseMatrixBinaryTests
{
    [Fact]
    public void Binary_Round_Trip_Is_Exact_And_Truncation_Is_Named()
    {
        var m = SparseMatrix.FromTriplets(3, 4, [0, 2, 2], [3, 0, 1], [1.5, -2.0, 1e-300]);
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) m.Write(w);

        buffer.Position = 0;
        var back = SparseMatrix.Read(new BinaryReader(buffer), "mem");
        var truncated = new MemoryStream(buffer.ToArray()[..^4]);

        Assert.Equal((3, 4), (back.Rows, back.Columns));
        Assert.Equal(m.ToDenseArray(), back.ToDenseArray());
        var e = Assert.Throws<InvalidDataException>(() => SparseMatrix.Read(new BinaryReader(truncated), "codes.bin"));
        Assert.Contains("codes.bin", e.Message);
    }
}

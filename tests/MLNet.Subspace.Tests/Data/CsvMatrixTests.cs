using MLNet.Subspace.Data;

namespace MLNet.Subspace.Tests.Data;

public class CsvMatrixTests
{
    [Fact]
    public void Reads_The_Reference_Peers_Files()
    {
        // Written by ../shared/peers/reference.py gen --per 4 --seed 3 (NumPy's %.9g format).
        Matrix x = CsvMatrix.Read(TestPaths.Fixture("peer-uos", "X.csv"));
        int[] y = CsvMatrix.ReadLabels(TestPaths.Fixture("peer-uos", "y.csv"), x.Rows);

        Assert.Equal(20, x.Rows);
        Assert.Equal(9, x.Columns);
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4], y);
        // The peer puts every point on its subspace's unit sphere.
        for (int r = 0; r < x.Rows; r++)
        {
            double norm = Math.Sqrt(x.Row(r).ToArray().Sum(v => v * v));
            Assert.Equal(1.0, norm, 6);
        }
    }

    [Fact]
    public void Round_Trips_Exactly()
    {
        using var temp = new TempFolder();
        var m = new Matrix([1.0 / 3, -2e-300, double.MaxValue, 0, 1e-9, -7.25], 2, 3);

        CsvMatrix.Write(temp.File("m.csv"), m);
        CsvMatrix.WriteLabels(temp.File("y.csv"), [4, 2]);

        Assert.Equal(m.Values, CsvMatrix.Read(temp.File("m.csv")).Values);
        Assert.Equal([4, 2], CsvMatrix.ReadLabels(temp.File("y.csv")));
        Assert.Single(Directory.GetFiles(temp.Path, "*.csv"), f => f.EndsWith("m.csv"));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void Non_Numeric_Cell_Names_Line_And_Column()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("x.csv"), "1,2,3\n4,five,6\n");

        var e = Assert.Throws<DataFileException>(() => CsvMatrix.Read(temp.File("x.csv")));

        Assert.Equal("line 2, column 2", e.Position);
        Assert.Contains("'five'", e.Message);
    }

    [Fact]
    public void Ragged_Row_Is_Reported()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("x.csv"), "1,2,3\n4,5\n");

        var e = Assert.Throws<DataFileException>(() => CsvMatrix.Read(temp.File("x.csv")));

        Assert.Equal("line 2", e.Position);
        Assert.Contains("expected 3", e.Message);
    }

    [Fact]
    public void Label_Count_Must_Match_The_Rows()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("y.csv"), "0\n1\n1\n");

        var e = Assert.Throws<DataFileException>(() => CsvMatrix.ReadLabels(temp.File("y.csv"), expectedCount: 4));

        Assert.Contains("3 labels", e.Message);
        Assert.Contains("4 rows", e.Message);
    }

    [Fact]
    public void Fractional_Label_Is_Rejected_But_NumPy_Integral_Floats_Are_Accepted()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("ok.csv"), "3.0\n1\n");
        File.WriteAllText(temp.File("bad.csv"), "3\n1.5\n");

        Assert.Equal([3, 1], CsvMatrix.ReadLabels(temp.File("ok.csv")));
        var e = Assert.Throws<DataFileException>(() => CsvMatrix.ReadLabels(temp.File("bad.csv")));
        Assert.Equal("line 2", e.Position);
    }

    [Fact]
    public void Empty_File_Is_Rejected()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("x.csv"), "\n\n");

        var e = Assert.Throws<DataFileException>(() => CsvMatrix.Read(temp.File("x.csv")));

        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void Atomic_Write_Into_A_Missing_Folder_Names_It_And_Leaves_Nothing()
    {
        using var temp = new TempFolder();
        string target = Path.Combine(temp.Path, "missing", "m.csv");

        var e = Assert.Throws<DirectoryNotFoundException>(() => CsvMatrix.Write(target, new Matrix([1.0], 1, 1)));

        Assert.Contains(Path.Combine(temp.Path, "missing"), e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }
}

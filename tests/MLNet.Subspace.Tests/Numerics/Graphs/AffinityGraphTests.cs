using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Graphs;

namespace MLNet.Subspace.Tests.Numerics.Graphs;

public class AffinityGraphTests
{
    // Codes (row i = code of sample i) of a 3-node hand case.
    private static SparseMatrix Codes() => SparseMatrix.FromDense([
        0, 0.5, -0.25,
        2, 0, 0,
        0, -1, 0], 3, 3);

    [Fact]
    public void FromCodes_Is_Abs_C_Plus_Abs_C_Transpose()
    {
        var w = AffinityGraph.FromCodes(Codes()).Weights.ToDenseArray();

        Assert.Equal(new double[] { 0, 2.5, 0.25, 2.5, 0, 1, 0.25, 1, 0 }, w);
    }

    [Fact]
    public void NormalizeByMax_Divides_Each_Code_By_Its_Largest_Magnitude()
    {
        var w = AffinityGraph.FromCodes(Codes(), new AffinityOptions { NormalizeByMax = true }).Weights.ToDenseArray();

        // codes become (0, 1, 0.5), (1, 0, 0), (0, 1, 0)
        Assert.Equal(new double[] { 0, 2, 0.5, 2, 0, 1, 0.5, 1, 0 }, w);
    }

    [Fact]
    public void NormalizeRowL2_Gives_Unit_Codes()
    {
        var w = AffinityGraph.FromCodes(Codes(), new AffinityOptions { NormalizeRowL2 = true }).Weights;
        double norm = Math.Sqrt(0.5 * 0.5 + 0.25 * 0.25);

        Assert.Equal(0.5 / norm + 1, w.ToDenseArray()[1], 12);
        Assert.Equal(0.25 / norm, w.ToDenseArray()[2], 12);
    }

    [Fact]
    public void KeepMass_And_TopK_Keep_The_Largest_Coefficients()
    {
        var codes = SparseMatrix.FromDense([0, 0.6, 0.3, 0.1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 4, 4);

        var mass = AffinityGraph.FromCodes(codes, new AffinityOptions { KeepMass = 0.85 }).Weights;
        var top = AffinityGraph.FromCodes(codes, new AffinityOptions { TopK = 1 }).Weights;

        Assert.Equal([1, 2], mass.RowIndices(0).ToArray()); // 0.6 + 0.3 = 0.9 >= 0.85
        Assert.Equal([1], top.RowIndices(0).ToArray());
    }

    [Fact]
    public void Options_Are_Validated_With_Names()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => AffinityGraph.FromCodes(Codes(), new AffinityOptions { TopK = 3 }));
        Assert.Contains("'TopK'", e.Message);
        Assert.Contains("Got 3", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => AffinityGraph.FromCodes(Codes(), new AffinityOptions { KeepMass = 0 }));
    }

    [Fact]
    public void Neighbours_Are_Sorted_By_Descending_Weight()
    {
        var g = AffinityGraph.FromCodes(Codes());

        Assert.Equal(new[] { (1, 2.5), (2, 0.25) }, g.Neighbours(0));
        Assert.Equal(new[] { (0, 2.5), (2, 1.0) }, g.Neighbours(1));
    }

    [Fact]
    public void Save_And_Load_Round_Trip()
    {
        using var folder = new TempFolder();
        var g = AffinityGraph.FromCodes(Codes());

        g.Save(folder.File("w.bin"));
        var back = AffinityGraph.Load(folder.File("w.bin"));

        Assert.Equal(g.Weights.ToDenseArray(), back.Weights.ToDenseArray());
        Assert.Single(Directory.GetFiles(folder.Path)); // no temporary file left behind
    }

    [Fact]
    public void Load_Rejects_Other_Files()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("x.bin"), "not a graph at all");

        var e = Assert.Throws<InvalidDataException>(() => AffinityGraph.Load(folder.File("x.bin")));

        Assert.Contains("not an affinity graph", e.Message);
    }

    [Fact]
    public void Csv_Exports_Match_The_Weights()
    {
        using var folder = new TempFolder();
        var g = AffinityGraph.FromCodes(Codes());

        g.ExportDenseCsv(folder.File("w.csv"));
        g.ExportEdgesCsv(folder.File("e.csv"));

        var dense = MLNet.Subspace.Data.CsvMatrix.Read(folder.File("w.csv"));
        Assert.Equal(g.Weights.ToDenseArray(), dense.Values);
        Assert.Equal(["source,target,weight", "0,1,2.5", "0,2,0.25", "1,2,1"], File.ReadAllLines(folder.File("e.csv")));
    }

    [Fact]
    public void FromWeights_Rejects_Asymmetric_Matrices()
    {
        var e = Assert.Throws<ArgumentException>(() => AffinityGraph.FromWeights(SparseMatrix.FromDense([0, 1, 0, 0], 2, 2)));

        Assert.Contains("symmetric", e.Message);
    }
}

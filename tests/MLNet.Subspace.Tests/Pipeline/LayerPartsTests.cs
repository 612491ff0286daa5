using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Pipeline.Units;
using MLNet.Subspace.Tests.Cluster;

namespace MLNet.Subspace.Tests.Pipeline;

/// <summary>A layer's unit split into parts (Gram row blocks, blocks of codes, the unit that puts them together) against the unit
/// executed whole: the same result bytes, and the parts' order and inputs checked.</summary>
public class LayerPartsTests
{
    private static readonly SscOptions Omp = new() { Solver = SscSolver.Omp };

    [Theory]
    [InlineData(300, 400, 3, false)] // one Gram block, d > N as activations have it
    [InlineData(301, 40, 7, true)] // float64, uneven blocks
    [InlineData(4_200, 24, 5, false)] // four Gram row blocks (N >= 4,096), as the layer pass forms G there
    public async Task The_Parts_Of_A_Layer_Give_The_Bytes_Of_The_Whole_Unit(int n, int d, int columnBlocks, bool useDouble)
    {
        using var temp = new TempFolder();
        string whole = temp.File("whole"), parts = temp.File("parts");
        var ssc = Omp with { UseDouble = useDouble };
        var unit = ClusterUnitRunnerTests.WriteLayers(whole, layers: 1, n, d, ssc)[0];
        Assert.Equal(unit, ClusterUnitRunnerTests.WriteLayers(parts, layers: 1, n, d, ssc)[0]);
        unit.Execute(whole, "local");

        var split = unit.Parts(parts, columnBlocks);
        int gramBlocks = n >= 4_096 ? 4 : 1;
        Assert.Equal(gramBlocks, split.OfType<GramRowsUnit>().Count());
        Assert.Equal(columnBlocks, split.OfType<CodeBlockUnit>().Count());
        var layer = Assert.IsType<LayerGraphUnit>(split[^1]);
        Assert.Equal(unit.Id, layer.Id); // the split is not part of the id: the result is the same
        Assert.Equal(split.Take(split.Count - 1).Select(u => u.Id), layer.Prerequisites);
        var receipts = await new LocalUnitRunner(parts).RunAsync(split);

        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, unit.ResultPath)), File.ReadAllBytes(Path.Combine(parts, unit.ResultPath)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, unit.CentredGramPath)), File.ReadAllBytes(Path.Combine(parts, unit.CentredGramPath)));
        var graph = unit.LoadResult(parts);
        Assert.True(graph.Expression.Coefficients.NonZeroCount > n, "every sample has a code");
        Assert.Equal(unit.LoadResult(whole).Expression.Iterations, graph.Expression.Iterations);
        // The Gram rows are dropped once the layer is put together; every part's receipt stays.
        Assert.All(split.OfType<GramRowsUnit>(), g => Assert.False(File.Exists(Path.Combine(parts, g.ResultPath))));
        Assert.All(split, u => Assert.True(File.Exists(Path.Combine(parts, u.ReceiptPath))));
        Assert.Equal(split.Select(u => u.Id), receipts.Select(r => r.UnitId));
        // Done, the layer is its own plan.
        Assert.Equal([layer with { Split = null }], unit.Parts(parts, columnBlocks));
    }

    [Fact]
    public void Each_Block_Of_Codes_Holds_Only_Its_Samples_Rows()
    {
        using var temp = new TempFolder();
        var unit = ClusterUnitRunnerTests.WriteLayers(temp.Path, layers: 1, n: 50, d: 60, Omp)[0];
        var split = unit.Parts(temp.Path, 4);
        split[0].Execute(temp.Path, "local");
        var blocks = split.OfType<CodeBlockUnit>().ToList();
        Assert.Equal([(0, 13), (13, 13), (26, 13), (39, 11)], blocks.Select(b => new LayerSplit(50, 4).Columns(b.Block)));
        foreach (var block in blocks)
        {
            block.Execute(temp.Path, "local");
            var (codes, _) = block.LoadCodes(temp.Path);
            var (start, count) = new LayerSplit(50, 4).Columns(block.Block);
            for (int i = 0; i < 50; i++)
                Assert.Equal(i >= start && i < start + count, codes.RowIndices(i).Length > 0);
        }
        // 10 samples in 6 blocks of 2 are 5 blocks: none is empty.
        Assert.Equal(5, ClusterUnitRunnerTests.WriteLayers(temp.File("ten"), 1, 10, 12, Omp)[0].Parts(temp.File("ten"), 6).OfType<CodeBlockUnit>().Count());
    }

    [Fact]
    public async Task Parts_Run_Only_In_Order_And_Only_For_Omp_From_The_Gram_Matrix()
    {
        using var temp = new TempFolder();
        var unit = ClusterUnitRunnerTests.WriteLayers(temp.Path, layers: 1, n: 40, d: 30, Omp)[0];
        var split = unit.Parts(temp.Path, 2);

        var early = Assert.Throws<InvalidOperationException>(() => split[1].Execute(temp.Path, "local"));
        Assert.Contains("Gram rows 1 of 1", early.Message);
        Assert.Contains("is not done", early.Message);
        var unordered = await Assert.ThrowsAsync<ArgumentException>(() => new LocalUnitRunner(temp.Path).RunAsync([.. split.Skip(1), split[0]]));
        Assert.Contains("which is not given before it", unordered.Message);
        Assert.Contains("codes 1 of 2", unordered.Message);
        var twice = await Assert.ThrowsAsync<ArgumentException>(() => new LocalUnitRunner(temp.Path).RunAsync([split[0], split[0]]));
        Assert.Contains("given twice", twice.Message);
        Assert.False(split[^1].IsDone(temp.Path)); // nothing ran

        var admm = Assert.Throws<ArgumentException>(() => (unit with { Ssc = new SscOptions { Solver = SscSolver.Admm } }).Parts(temp.Path, 2));
        Assert.Contains("only the omp solver", admm.Message);
        Assert.Contains("Admm", admm.Message);
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => unit.Parts(temp.Path, 41));
        Assert.Contains("[2, 40]", tooMany.Message);
        var options = new MLNet.Subspace.Pipeline.AnalysisRunOptions { ColumnBlocks = 2, Ssc = new() { Solver = SscSolver.Ensc } };
        Assert.Contains("'ColumnBlocks'", Assert.Throws<ArgumentException>(options.Validate).Message);
    }

    [Fact]
    public void Every_Kind_Of_Unit_Travels_As_Json_With_Its_Id()
    {
        using var temp = new TempFolder();
        var unit = ClusterUnitRunnerTests.WriteLayers(temp.Path, layers: 1, n: 20, d: 8, Omp)[0];
        foreach (var part in unit.Parts(temp.Path, 3).Append(new CkaRowsUnit(["a.f32", "b.f32"], ["1", "2"], 20, 1, 2, 5)))
        {
            string json = part.ToJson();
            Assert.All(new[] { "\"Id\"", "Path", "Description", "Prerequisites" }, derived => Assert.DoesNotContain(derived, json)); // only what makes the unit travels
            var back = WorkUnit.FromJson(json);
            Assert.Equal(part.GetType(), back.GetType());
            Assert.Equal(part.Id, back.Id);
            Assert.Equal(part.Description, back.Description);
            Assert.Equal(part.Prerequisites, back.Prerequisites);
        }
        var rows = unit.Parts(temp.Path, 3).OfType<GramRowsUnit>().Single();
        Assert.NotEqual(rows.Id, (rows with { UseDouble = true }).Id);
        Assert.NotEqual(rows.Id, (rows with { InputHash = new string('0', 64) }).Id);
        Assert.Contains("kind", Assert.Throws<InvalidDataException>(() => WorkUnit.FromJson("""{"kind":"nonsense"}""")).Message);
        Assert.Throws<InvalidDataException>(() => WorkUnit.FromJson("""{"kind":"layer","Input":"a.f32"}"""));
        Assert.Throws<InvalidDataException>(() => WorkUnit.FromJson("not json"));
    }
}

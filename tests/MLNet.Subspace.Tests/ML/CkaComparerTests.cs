using Microsoft.Data.Analysis;
using Microsoft.ML;
using MLNet.Subspace.ML;
using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Tests.Numerics.Cka;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.ML;

public class CkaComparerTests
{
    internal static readonly string[] Layers = ["conv1", "conv2", "conv3"];

    /// <summary>Three related layers of <paramref name="rows"/> inputs as float arrays and tensors.</summary>
    internal static (IDataView View, List<Tensor> Tensors) Activations(int rows, int seed, bool constantLast = false)
    {
        var g = new TorchSharp.torch.Generator((ulong)seed);
        var a = randn(rows, 6, float32, generator: g);
        var b = tanh(a.mm(randn(6, 9, float32, generator: g)));
        var c = constantLast ? full(rows, 4, 1.5f, float32) : b.mm(randn(9, 4, float32, generator: g)) + 0.3f * randn(rows, 4, float32, generator: g);
        var tensors = new List<Tensor> { a, b, c };
        var builder = InMemoryDataView.Create(rows);
        for (int l = 0; l < 3; l++)
            builder.AddVector(Layers[l], tensors[l].data<float>().ToArray(), [(int)tensors[l].shape[1]]);
        return (builder.Build(), tensors);
    }

    [Fact]
    public void Compare_Columns_Returns_Named_DataFrame_Equal_To_Numerics()
    {
        // Given three layers of 80 inputs
        var (view, tensors) = Activations(80, 1);
        var mlContext = new MLContext(seed: 1);

        // When compared with the catalog's comparer
        var result = mlContext.Transforms.CkaComparer(CkaKernel.Rbf, debiased: true).Compare(view, Layers);

        // Then the DataFrame is named by layer and equals the numerics
        var expected = CkaMatrix.FromRepresentations(tensors, CkaKernel.Rbf, debiased: true);
        Assert.Equal([CkaComparison.LayerColumn, .. Layers], result.Matrix.Columns.Select(c => c.Name));
        Assert.Equal(Layers, ((StringDataFrameColumn)result.Matrix.Columns[CkaComparison.LayerColumn]).ToArray());
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(expected[i, j], result.Values[i, j], 12);
                Assert.Equal(result.Values[i, j], (double)result.Matrix.Columns[Layers[j]][i]!);
            }
        Assert.Equal(1.0, result["conv2", "conv2"]);
        Assert.Equal(CkaKernel.Rbf, result.Options.Kernel);
        Assert.True(result.Options.Debiased);
        Assert.Null(result.Options.MinibatchSize);
        Assert.Equal("rbf(threshold=1)", result.Kernel);
        Assert.Equal(80, result.Samples);
    }

    [Fact]
    public void Minibatches_Stream_The_View_And_Equal_The_Numerics()
    {
        var (view, tensors) = Activations(203, 2);

        var result = new CkaComparer(new CkaComparer.Options { Debiased = true, MinibatchSize = 50 }).Compare(view, Layers);

        var expected = CkaMatrix.FromRepresentations(tensors, debiased: true, minibatchSize: 50);
        Assert.Equal(4, result.Batches); // the last 3 rows are too few for a debiased batch
        Assert.Equal(200, result.Samples);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) Assert.Equal(expected[i, j], result.Values[i, j], 12);
        Assert.Equal(50, result.Options.MinibatchSize);
    }

    [Fact]
    public void Two_Views_Give_Each_Layer_Against_The_Other_View()
    {
        // Given the same inputs through two "epochs" (the second slightly perturbed)
        var (first, a) = Activations(60, 3);
        var (second, b) = Activations(60, 4);

        var result = new CkaComparer().Compare(first, second, Layers);

        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.Equal(CkaMath.Compute(a[i], b[j], forceGram: true), result.Values[i, j], 10);
        Assert.Equal(Layers, result.RowNames);
        Assert.Equal(Layers, result.ColumnNames);
    }

    [Fact]
    public void Two_Views_With_Different_Row_Counts_Name_Both_Counts()
    {
        var (first, _) = Activations(60, 3);
        var (second, _) = Activations(50, 4);

        var e = Assert.Throws<ArgumentException>(() => new CkaComparer(new CkaComparer.Options { MinibatchSize = 16 }).Compare(first, second, Layers));

        Assert.Contains("The first view has 60 rows but the second has 50 rows", e.Message);
    }

    [Fact]
    public void Two_Views_Keep_The_Reason_For_A_Constant_Layer()
    {
        var (first, _) = Activations(40, 5, constantLast: true);
        var (second, _) = Activations(40, 6);

        var result = new CkaComparer().Compare(first, second, Layers);

        Assert.True(double.IsNaN(result["conv3", "conv1"]));
        Assert.False(double.IsNaN(result["conv1", "conv3"]));
        Assert.Contains(result.Reasons, r => r.Contains("'conv3 (first)'") && r.Contains("constant"));
    }

    [Fact]
    public void Constant_Layer_Gives_NaN_With_Reason()
    {
        var (view, _) = Activations(40, 5, constantLast: true);

        var result = new CkaComparer().Compare(view, Layers);

        Assert.True(double.IsNaN(result["conv3", "conv1"]));
        Assert.False(double.IsNaN(result["conv1", "conv2"]));
        Assert.Contains(result.Reasons, r => r.Contains("'conv3'") && r.Contains("constant"));
    }

    [Fact]
    public void Graphs_Are_Compared_Sparsely_With_Names()
    {
        var graphs = Enumerable.Range(0, 4).Select(s => RandomGraphs.Symmetric(50, 0.1, s)).ToList();
        string[] names = ["g0", "g1", "g2", "g3"];

        var result = new CkaComparer(new CkaComparer.Options { Debiased = true }).Compare(names, graphs);

        Assert.Equal(GraphCka.Cka(graphs[1], graphs[3], debiased: true), result["g1", "g3"], 12);
        Assert.Equal("graph (affinity as kernel)", result.Kernel);
        Assert.Equal(4, result.Matrix.Columns.Count - 1);
    }

    [Fact]
    public void Block_Structure_Of_A_Comparison_Finds_Two_Groups_Of_Graphs()
    {
        // Given two groups of graphs: three noisy copies of one graph, three of another
        var baseA = RandomGraphs.Symmetric(60, 0.1, 100);
        var baseB = RandomGraphs.Symmetric(60, 0.1, 200);
        var graphs = new[] { baseA, baseA, baseA, baseB, baseB, baseB }
            .Select((g, i) => Add(g, RandomGraphs.Symmetric(60, 0.02, i))).ToList();

        var blocks = new CkaComparer().Compare(["a1", "a2", "a3", "b1", "b2", "b3"], graphs).BlockStructure();

        Assert.Equal(2, blocks.Count);
        Assert.Equal([(0, 2), (3, 5)], blocks.Blocks.Select(b => (b.Start, b.End)));
        Assert.True(blocks.Score > 0.3, $"score {blocks.Score}");
    }

    private static SparseMatrix Add(SparseMatrix a, SparseMatrix b)
    {
        var dense = a.ToDenseArray().Zip(b.ToDenseArray(), (x, y) => x + y).ToArray();
        return SparseMatrix.FromDense(dense, a.Rows, a.Columns);
    }

    [Fact]
    public void Invalid_Options_And_Columns_Are_Named()
    {
        var (view, _) = Activations(20, 6);

        var batch = Assert.Throws<ArgumentOutOfRangeException>(() => new CkaComparer(new CkaComparer.Options { MinibatchSize = 2 }));
        var threshold = Assert.Throws<ArgumentOutOfRangeException>(() => new CkaComparer(new CkaComparer.Options { RbfThreshold = 0 }));
        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => new CkaComparer().Compare(view, "conv1", "fc"));
        var duplicate = Assert.Throws<ArgumentException>(() => new CkaComparer().Compare(view, "conv1", "conv1"));

        Assert.Equal("The 'MinibatchSize' option of CkaComparer must be an integer of at least 4, or null for all rows. Got 2 instead. (Parameter 'MinibatchSize')", batch.Message);
        Assert.Contains("'RbfThreshold' option of CkaComparer", threshold.Message);
        Assert.Contains("Input column 'fc' not found", missing.Message);
        Assert.Contains("listed more than once", duplicate.Message);
    }

    [Fact]
    public void Catalog_Defaults_Equal_Options_Defaults()
    {
        var options = new CkaComparer.Options();
        var parameters = typeof(SubspaceCatalog).GetMethods().Single(m => m.Name == "CkaComparer" && m.GetParameters().Length == 4).GetParameters();

        Assert.Equal(options.Kernel, parameters[1].DefaultValue);
        Assert.Equal(options.Debiased, parameters[2].DefaultValue);
        Assert.Equal(options.MinibatchSize, parameters[3].DefaultValue);
        Assert.Equal(2L << 30, options.MaximumMemoryBytes); // "Defaults to 2 GiB"
        var (view, _) = Activations(80, 1);
        var refused = Assert.Throws<InsufficientMemoryException>(() => new CkaComparer(new CkaComparer.Options { MaximumMemoryBytes = 1000 }).Compare(view, Layers));
        Assert.Contains("needs", refused.Message); // the ceiling reaches the dense step
    }
}

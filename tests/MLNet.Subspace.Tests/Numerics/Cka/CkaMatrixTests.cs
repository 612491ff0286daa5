using MLNet.Subspace.Numerics;
using MLNet.Subspace.Numerics.Cka;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.Numerics.Cka;

public class CkaMatrixTests
{
    private static List<Tensor> Layers(int n, int seed, params int[] widths)
    {
        var g = new torch.Generator((ulong)seed);
        var layers = new List<Tensor>();
        var h = randn(n, widths[0], float64, generator: g);
        layers.Add(h);
        foreach (int w in widths.Skip(1))
        {
            h = tanh(h.mm(randn(h.shape[1], w, float64, generator: g) / Math.Sqrt(h.shape[1])));
            layers.Add(h);
        }
        return layers;
    }

    [Theory]
    [InlineData(CkaKernel.Linear, false)]
    [InlineData(CkaKernel.Linear, true)]
    [InlineData(CkaKernel.Rbf, false)]
    [InlineData(CkaKernel.Rbf, true)]
    public void Matrix_Equals_Pairwise_Cka_Is_Symmetric_With_Unit_Diagonal(CkaKernel kernel, bool debiased)
    {
        // Given four representations of 60 samples
        var layers = Layers(60, 3, 5, 8, 3, 12);

        // When all pairs are computed together
        var m = CkaMatrix.FromRepresentations(layers, kernel, 0.8, debiased, names: ["a", "b", "c", "d"]);

        // Then each entry equals the pairwise CKA
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(1.0, m[i, i]);
            for (int j = 0; j < 4; j++)
            {
                Assert.Equal(m[i, j], m[j, i]);
                Assert.Equal(CkaMath.Compute(layers[i], layers[j], kernel, 0.8, debiased, forceGram: true), m[i, j], 10);
            }
        }
        Assert.Equal(["a", "b", "c", "d"], m.RowNames);
        Assert.Empty(m.Reasons);
    }

    [Fact]
    public void Constant_Layer_Gives_NaN_Row_With_Reason()
    {
        var layers = Layers(30, 1, 4, 4);
        layers.Add(full(30, 3, 2.0, float64));

        var m = CkaMatrix.FromRepresentations(layers, names: ["x", "y", "flat"]);

        Assert.True(double.IsNaN(m[2, 0]) && double.IsNaN(m[0, 2]) && double.IsNaN(m[2, 2]));
        Assert.False(double.IsNaN(m[0, 1]));
        Assert.Contains(m.Reasons, r => r!.Contains("'flat'") && r.Contains("constant"));
    }

    [Fact]
    public void Single_Minibatch_Equals_Full_Computation()
    {
        var layers = Layers(50, 2, 6, 6, 6);

        var full = CkaMatrix.FromRepresentations(layers, debiased: true);
        var batched = CkaMatrix.FromRepresentations(layers, debiased: true, minibatchSize: 50);

        Assert.Equal(1, batched.Batches);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) Assert.Equal(full[i, j], batched[i, j], 12);
    }

    [Fact]
    public void Minibatch_Cka_Approaches_Full_Sample_Cka()
    {
        // Given 2,000 samples of three related layers
        var layers = Layers(2000, 4, 8, 16, 8);

        // When CKA is averaged over batches of 250 (debiased, so the batch size adds no bias)
        var full = CkaMatrix.FromRepresentations(layers, debiased: true);
        var batched = CkaMatrix.FromRepresentations(layers, debiased: true, minibatchSize: 250);

        // Then the estimate is close to the full-sample value
        Assert.Equal(8, batched.Batches);
        Assert.Equal(2000, batched.Samples);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) Assert.Equal(full[i, j], batched[i, j], 1);
    }

    [Fact]
    public void Refuses_Stacking_Beyond_Memory_Ceiling_With_Estimate()
    {
        var layers = Layers(100, 1, 3, 3);

        var e = Assert.Throws<InsufficientMemoryException>(() => CkaMatrix.FromRepresentations(layers, maximumBytes: 1000));

        Assert.Contains("needs", e.Message);
        Assert.Contains("minibatch", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Mismatched_Rows_Name_Both_Layers_And_Counts()
    {
        var e = Assert.Throws<ArgumentException>(() => CkaMatrix.FromRepresentations([randn(10, 2, float64), randn(12, 2, float64)], names: ["conv1", "conv2"]));

        Assert.Contains("conv1 has 10 rows but conv2 has 12 rows", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sparse_Graph_Matrix_Equals_Dense_Stacked_Matrix(bool debiased)
    {
        // Given six sparse symmetric graphs, one with self-loops
        var graphs = Enumerable.Range(0, 6).Select(s => RandomGraphs.Symmetric(70, 0.05 + 0.03 * s, s, loops: s == 2)).ToList();

        // When computed sparsely and through dense stacked kernels
        var sparse = CkaMatrix.FromGraphs(graphs, debiased);
        var dense = CkaMatrix.FromGrams(graphs.Select(g => g.ToDenseTensor()).ToList(), debiased);

        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(1.0, sparse[i, i]);
            for (int j = 0; j < 6; j++)
            {
                Assert.Equal(dense[i, j], sparse[i, j], 10);
                Assert.Equal(GraphCka.Cka(graphs[i], graphs[j], debiased), sparse[i, j], 10);
            }
        }
    }

    [Fact]
    public void Empty_Graph_Gives_NaN_With_Reason_In_Matrix_And_Error_Pairwise()
    {
        var empty = SparseMatrix.FromTriplets(40, 40, [], [], []);
        var graph = RandomGraphs.Symmetric(40, 0.1, 1);

        var m = CkaMatrix.FromGraphs([graph, empty], names: ["conv1", "dead"]);
        var e = Assert.Throws<DegenerateCkaException>(() => GraphCka.Cka(graph, empty));

        Assert.Equal(1.0, m[0, 0]);
        Assert.True(double.IsNaN(m[0, 1]) && double.IsNaN(m[1, 1]));
        Assert.Contains(m.Reasons, r => r!.Contains("'dead' is all zeros"));
        Assert.Contains("all zeros", e.Message);
    }

    [Fact]
    public void Graphs_Of_Different_Sizes_And_Asymmetric_Graphs_Are_Rejected()
    {
        var a = RandomGraphs.Symmetric(20, 0.2, 1);
        var b = RandomGraphs.Symmetric(21, 0.2, 2);
        var directed = SparseMatrix.FromTriplets(20, 20, [0], [1], [1.0]);

        var size = Assert.Throws<ArgumentException>(() => GraphCka.Cka(a, b));
        var asym = Assert.Throws<ArgumentException>(() => CkaMatrix.FromGraphs([a, directed], names: ["a", "directed"]));

        Assert.Contains("20 rows", size.Message);
        Assert.Contains("21 rows", size.Message);
        Assert.Contains("'directed' must be symmetric", asym.Message);
    }
}

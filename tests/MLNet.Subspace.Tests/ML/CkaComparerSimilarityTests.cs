using Microsoft.ML;
using MLNet.Subspace.ML;
using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Similarity;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.ML;

/// <summary>CkaComparer with a similarity measure instead of CKA: the same matrix as the measure on the columns, named by layer, the measure recorded.</summary>
public class CkaComparerSimilarityTests
{
    private static readonly string[] Layers = CkaComparerTests.Layers;

    private static (IDataView View, List<Tensor> Tensors) Activations(int rows, int seed) => CkaComparerTests.Activations(rows, seed);

    [Fact]
    public void One_View_Gives_The_Measure_Of_Every_Pair_Named_By_Layer()
    {
        var (view, tensors) = Activations(50, 1);
        var svcca = new SimilarityOptions { Measure = SimilarityMeasure.Svcca, Keep = 0.9 };

        var result = new MLContext(seed: 1).Transforms.CkaComparer(svcca).Compare(view, Layers);

        Assert.Equal("svcca(keep=0.9)", result.Measure);
        Assert.True(result.HigherIsMoreSimilar);
        Assert.Equal([CkaComparison.LayerColumn, .. Layers], result.Matrix.Columns.Select(c => c.Name));
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(svcca.Compute(tensors[i], tensors[j]), result.Values[i, j], 12);
                Assert.Equal(result.Values[i, j], (double)result.Matrix.Columns[Layers[j]][i]!);
            }
        Assert.Equal(50, result.Samples);
    }

    [Fact]
    public void Two_Views_Give_Each_Layer_Of_The_First_Against_Each_Of_The_Second()
    {
        var (first, a) = Activations(40, 3);
        var (second, b) = Activations(40, 4);
        var pwcca = new SimilarityOptions { Measure = SimilarityMeasure.Pwcca };

        var result = new CkaComparer(new CkaComparer.Options { Similarity = pwcca }).Compare(first, second, Layers);

        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.Equal(pwcca.Compute(a[i], b[j]), result.Values[i, j], 12);
        Assert.NotEqual(result.Values[0, 1], result.Values[1, 0], 6);
        Assert.Equal("pwcca", result.Measure);
    }

    [Fact]
    public void Without_A_Measure_The_Comparer_Is_Cka_As_Before()
    {
        var (view, tensors) = Activations(30, 5);
        var result = new CkaComparer().Compare(view, Layers);
        Assert.Equal("cka (linear)", result.Measure);
        // 1e-7, not 1e-10: the view's float32 layers take float32 tile products (docs/cka.md, tile precision).
        Assert.Equal(CkaMath.Compute(tensors[0], tensors[2]), result.Values[0, 2], 1e-7);
    }

    [Fact]
    public void Cka_Only_Settings_Or_Graphs_With_A_Measure_Are_Refused()
    {
        var procrustes = new SimilarityOptions { Measure = SimilarityMeasure.Procrustes };
        var e = Assert.Throws<ArgumentException>(() => new CkaComparer(new CkaComparer.Options { Similarity = procrustes, MinibatchSize = 16 }));
        Assert.Contains("apply to CKA only", e.Message);
        var graphs = Assert.Throws<ArgumentException>(() => new CkaComparer(new CkaComparer.Options { Similarity = procrustes }).Compare(["a"], [SparseMatrixOf(3)]));
        Assert.Contains("SSC-CKA only", graphs.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CkaComparer(new CkaComparer.Options { Similarity = new SimilarityOptions { K = 0 } }));
    }

    private static MLNet.Subspace.Numerics.SparseMatrix SparseMatrixOf(int n)
        => MLNet.Subspace.Numerics.SparseMatrix.FromTriplets(n, n, [0, 1], [1, 0], [1.0, 1.0]);
}

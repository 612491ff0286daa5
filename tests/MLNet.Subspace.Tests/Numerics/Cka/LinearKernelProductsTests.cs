using MLNet.Subspace.Analysis;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Similarity;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.Numerics.Cka;

public class LinearKernelProductsTests
{
    /// <summary>Related layers of n rows; the last one carries a large constant offset so that centring matters.</summary>
    private static List<Tensor> Layers(int n, int seed, params int[] widths)
    {
        var g = new torch.Generator((ulong)seed);
        var layers = new List<Tensor>();
        var h = randn(n, widths[0], float64, generator: g);
        layers.Add(h);
        foreach (int w in widths.Skip(1))
        {
            h = nn.functional.relu(h.mm(randn(h.shape[1], w, float64, generator: g) / Math.Sqrt(h.shape[1]))) + 0.3 * randn(n, w, float64, generator: g);
            layers.Add(h);
        }
        layers[^1] = layers[^1] + 100.0;
        return layers;
    }

    /// <summary>The L x L CKA matrix through the given route, via the accumulator the public API uses (tile GEMMs in the inputs' type unless given).</summary>
    private static CkaMatrix Through(IReadOnlyList<Tensor> layers, bool debiased, LinearKernelRoute route, int? tile = null, ScalarType? tileType = null)
    {
        var accumulator = new HsicAccumulator(layers.Count, null);
        accumulator.AddLinear(LinearKernelProducts.Compute(layers, debiased, 1L << 30, route, tile, tileType), layers[0].shape[0], debiased);
        return accumulator.Result();
    }

    /// <summary>The dense reference: every N x N Gram formed, centred explicitly (CenterGram) and multiplied, one pair at a time.</summary>
    private static double DenseCka(Tensor x, Tensor y, bool debiased)
    {
        using var scope = NewDisposeScope();
        return CkaMath.Cka(CkaMath.GramLinear(x), CkaMath.GramLinear(y), debiased);
    }

    [Theory]
    [InlineData(false, null, false)]
    [InlineData(false, null, true)]
    [InlineData(true, 7, false)] // 53 rows: 8 row blocks, the last one short
    [InlineData(true, 7, true)]
    [InlineData(true, 53, true)] // one tile
    [InlineData(true, 1000, false)] // tile side capped at N
    public void Every_Route_Equals_The_Dense_Gram_Route(bool tiles, int? tile, bool debiased)
    {
        var route = tiles ? LinearKernelRoute.GramTiles : LinearKernelRoute.Features;
        var layers = Layers(53, 11, 6, 30, 4, 70);

        var m = Through(layers, debiased, route, tile);

        for (int a = 0; a < layers.Count; a++)
            for (int b = 0; b < layers.Count; b++)
                Assert.True(Math.Abs(DenseCka(layers[a], layers[b], debiased) - m[a, b]) <= 1e-10, $"[{a},{b}]: {m[a, b]} vs {DenseCka(layers[a], layers[b], debiased)}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Golden_Values_Of_The_Peer_Fixture(bool tiles)
    {
        var route = tiles ? LinearKernelRoute.GramTiles : LinearKernelRoute.Features;
        // X = randn(100,10), Y = randn(100,10) + X: the peer's (NumPy) values in docs/cka.md, to 1e-10.
        var xy = new[] { CkaMathTests.Load("X.csv"), CkaMathTests.Load("Y.csv") };

        Assert.Equal(0.5576132566, Through(xy, false, route, tile: 16)[0, 1], 9);
        Assert.Equal(0.5134564895, Through(xy, true, route, tile: 16)[0, 1], 9);
    }

    [Fact]
    public void Float32_Rows_Are_Centred_In_Float64_And_Exact_With_Float64_Tiles()
    {
        var layers = Layers(40, 5, 8, 50);
        var single = layers.Select(x => x.to_type(float32)).ToList();
        var exact = single.Select(x => x.to_type(float64)).ToList(); // the same rounded values, held in float64

        var m = Through(single, true, LinearKernelRoute.GramTiles, tile: 9, ScalarType.Float64);

        Assert.True(Math.Abs(DenseCka(exact[0], exact[1], true) - m[0, 1]) <= 1e-10);
    }

    [Theory]
    [InlineData(false, 50)]
    [InlineData(true, 50)]
    [InlineData(false, null)]
    [InlineData(true, null)]
    public void Float32_Tiles_Stay_Within_1e_7_Of_The_Float64_Route(bool debiased, int? tile)
    {
        // Given wide related layers (d up to 900 > N, so the tile GEMMs are long sums) and a layer offset by 100
        var layers = Layers(300, 21, 900, 600, 400, 40);

        var exact = Through(layers, debiased, LinearKernelRoute.GramTiles, tile, ScalarType.Float64);
        var single = Through(layers, debiased, LinearKernelRoute.GramTiles, tile, ScalarType.Float32);

        double worst = 0;
        for (int a = 0; a < layers.Count; a++)
            for (int b = 0; b < layers.Count; b++) worst = Math.Max(worst, Math.Abs(exact[a, b] - single[a, b]));
        Assert.True(worst <= 1e-7, $"largest |float32 - float64| = {worst:E2}");
        Assert.True(worst > 0, "the float32 route rounded nothing: it did not run in float32");
    }

    [Fact]
    public void Tile_Gemms_Follow_The_Inputs_Float32_Only_When_Every_Layer_Is_Float32()
    {
        var layers = Layers(20, 1, 5, 5);
        LinearKernelProducts.RowReader Reader(IReadOnlyList<Tensor> x) => (l, s, len) => x[l].narrow(0, s, len);

        Assert.Equal(ScalarType.Float64, LinearKernelProducts.TileType(2, Reader(layers)));
        Assert.Equal(ScalarType.Float32, LinearKernelProducts.TileType(2, Reader(layers.Select(x => x.to_type(float32)).ToList())));
        Assert.Equal(ScalarType.Float64, LinearKernelProducts.TileType(2, Reader([layers[0].to_type(float32), layers[1]])));
    }

    [Fact]
    public void Cost_Chooses_Features_For_Narrow_Layers_And_Tiles_For_Wide_Ones()
    {
        Assert.Equal(LinearKernelRoute.Features, LinearKernelProducts.Compute(Layers(100, 1, 10, 20, 20), false, 1L << 30).Route);
        var wide = LinearKernelProducts.Compute(Layers(100, 1, 30, 30), false, 1L << 30); // 2 x 60 > 100
        Assert.Equal(LinearKernelRoute.GramTiles, wide.Route);
        Assert.Equal(100, wide.Tile);
    }

    [Fact]
    public void Tiles_Shrink_To_The_Memory_Ceiling_Where_The_Stacked_Route_Is_Refused()
    {
        // Given 6 layers of 600 rows: stacking their 600 x 600 kernels needs 6 x 600^2 x 8 = 17 MB
        var layers = Layers(600, 3, 400, 400, 400, 400, 400, 400);
        const long ceiling = 4L << 20;
        Assert.Throws<InsufficientMemoryException>(() => CkaMatrix.FromRepresentations(layers, CkaKernel.Rbf, maximumBytes: ceiling));

        // When the linear matrix is asked under a 4 MiB ceiling
        var products = LinearKernelProducts.Compute(layers, false, ceiling);
        var m = CkaMatrix.FromRepresentations(layers, maximumBytes: ceiling);

        // Then the tiles shrank to fit and the values are the dense ones
        Assert.Equal(LinearKernelRoute.GramTiles, products.Route);
        Assert.True(products.Tile < 600 && LinearKernelProducts.TileBytes([400, 400, 400, 400, 400, 400], products.Tile, ScalarType.Float64) <= ceiling, $"tile {products.Tile}");
        for (int a = 0; a < 6; a++)
            for (int b = a + 1; b < 6; b++) Assert.True(Math.Abs(DenseCka(layers[a], layers[b], false) - m[a, b]) <= 1e-10);
    }

    [Fact]
    public void A_Ceiling_Below_The_Smallest_Tile_Is_Refused_With_The_Estimate()
    {
        var layers = Layers(300, 2, 200, 200);

        var e = Assert.Throws<InsufficientMemoryException>(() => LinearKernelProducts.Compute(layers, false, 1000));

        Assert.Contains("Gram tiles of 64 x 64", e.Message); // 256, 128, 64: halved while the half is at least 64
        Assert.Contains("needs about", e.Message);
        Assert.Contains("minibatch", e.Message);
    }

    [Fact]
    public void A_Constant_Layer_Still_Gives_A_NaN_Row_With_Its_Reason()
    {
        var layers = Layers(30, 1, 40, 40);
        layers.Add(full(30, 3, 2.0, float64));

        var m = Through(layers, false, LinearKernelRoute.GramTiles, tile: 8);

        Assert.True(double.IsNaN(m[2, 0]) && double.IsNaN(m[2, 2]));
        Assert.Contains(m.Reasons, r => r!.Contains("'2'") && r.Contains("constant"));
    }

    [Fact]
    public void Layer_Similarity_Linear_Cka_From_Float32_Activations_Is_Within_1e_7_Of_The_Pairwise_Dense_Values()
    {
        // Given three float32 layers of 120 inputs, one wider than N/2 so the tiles route is taken (float32 tile GEMMs)
        var layers = Layers(120, 8, 20, 90, 5).Select(x => x.to_type(float32)).ToList();
        var activations = new LayerActivations(["a", "b", "c"], layers.Select(x => new[] { (int)x.shape[1] }).ToArray(),
            layers.Select(x => x.contiguous().data<float>().ToArray()).ToArray(), new float[120 * 2], 2, null, ["0", "1"]);

        var matrix = LayerSimilarity.Compute(activations, new SimilarityOptions { Measure = SimilarityMeasure.LinearCka });

        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                Assert.True(Math.Abs(DenseCka(layers[a].to_type(float64), layers[b].to_type(float64), false) - matrix.Values[a, b]) <= 1e-7);
    }

    [Fact]
    public void Pairwise_Compute_Takes_Tiles_For_Wide_Layers_And_Keeps_The_Dense_Value()
    {
        var layers = Layers(40, 4, 60, 50);

        Assert.Equal(DenseCka(layers[0], layers[1], true), CkaMath.Compute(layers[0], layers[1], debiased: true), 10);
        Assert.Throws<DegenerateCkaException>(() => CkaMath.Compute(layers[0], full(40, 70, 1.0, float64)));
    }
}

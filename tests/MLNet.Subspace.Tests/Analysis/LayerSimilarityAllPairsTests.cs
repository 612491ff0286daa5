using MLNet.Subspace.Analysis;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Similarity;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.Analysis;

/// <summary>
/// LayerSimilarity prepares each layer once and reuses it across pairs; every entry must equal the measure's per-pair
/// function on the same two layers. The tolerance is 1e-12 absolute: the shared route does the same float64 operations
/// (bit-identical in practice); linear CKA alone takes the Gram route in the matrix and the feature route per pair.
/// </summary>
public class LayerSimilarityAllPairsTests
{
    private const double Tolerance = 1e-12;
    // Linear CKA between all layers takes the tiled route, whose products are float32 for float32 activations
    // (docs/cka.md, tile precision); the per-pair function works in float64.
    private const double LinearCkaTolerance = 1e-7;

    /// <summary>Four layers over 40 inputs with different widths (one wider than N) sharing a 3-dimensional signal.</summary>
    internal static LayerActivations Layers(int n = 40, int seed = 5)
    {
        var rng = new Random(seed);
        int[] widths = [6, 11, 3, 48];
        var signal = Enumerable.Range(0, n * 3).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var values = widths.Select(d =>
        {
            var mix = Enumerable.Range(0, 3 * d).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            var layer = new float[n * d];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < d; j++)
                {
                    double v = 0.4 * (rng.NextDouble() * 2 - 1);
                    for (int c = 0; c < 3; c++) v += signal[i * 3 + c] * mix[c * d + j];
                    layer[i * d + j] = (float)v;
                }
            return layer;
        }).ToArray();
        var scores = Enumerable.Range(0, n * 2).Select(i => i % 2 == 0 ? 0.7f : 0.3f).ToArray();
        return new LayerActivations(["a", "b", "c", "wide"], widths.Select(d => new[] { d }).ToArray(), values, scores, 2, null, ["0", "1"]);
    }

    private static Tensor Layer(LayerActivations a, int l) => tensor(a.Values[l], [a.Count, a.Size(l)]).to(ScalarType.Float64);

    public static TheoryData<SimilarityOptions> AllMeasures()
    {
        var data = new TheoryData<SimilarityOptions>();
        foreach (var measure in Enum.GetValues<SimilarityMeasure>()) data.Add(new SimilarityOptions { Measure = measure, K = 4 });
        data.Add(new SimilarityOptions { Measure = SimilarityMeasure.CcaR2, Ridge = 2.5 });
        data.Add(new SimilarityOptions { Measure = SimilarityMeasure.CcaMean, Ridge = 2.5 });
        data.Add(new SimilarityOptions { Measure = SimilarityMeasure.Svcca, Keep = 0.7 });
        data.Add(new SimilarityOptions { Measure = SimilarityMeasure.ShapeMetric, Alpha = 0.3 });
        foreach (var comparison in Enum.GetValues<RdmComparison>())
            data.Add(new SimilarityOptions { Measure = SimilarityMeasure.Rsa, Distance = RdmDistance.Euclidean, Comparison = comparison });
        return data;
    }

    [Theory]
    [MemberData(nameof(AllMeasures))]
    public void Every_Entry_Equals_The_Per_Pair_Function(SimilarityOptions options)
    {
        var activations = Layers();
        var matrix = LayerSimilarity.Compute(activations, options);
        int layers = activations.LayerNames.Count;
        bool anyOffDiagonalDiffers = false;
        for (int i = 0; i < layers; i++)
            for (int j = 0; j < layers; j++)
            {
                using var scope = NewDisposeScope();
                double expected = options.Compute(Layer(activations, i), Layer(activations, j));
                Assert.True(Math.Abs(expected - matrix.Values[i, j]) <= (options.Measure == SimilarityMeasure.LinearCka ? LinearCkaTolerance : Tolerance),
                    $"{options.Describe()} [{i}, {j}]: per pair {expected:R}, all pairs {matrix.Values[i, j]:R}");
                if (i != j && Math.Abs(matrix.Values[i, j] - matrix.Values[i, i]) > 1e-6) anyOffDiagonalDiffers = true;
            }
        // Layers that were all the same would let a mix-up of layers pass.
        Assert.True(anyOffDiagonalDiffers, $"{options.Describe()}: every pair equals the diagonal, so the check cannot see a layer mix-up");
    }

    [Fact]
    public void A_Constant_Layer_Is_Refused_Naming_The_Layer()
    {
        var a = Layers();
        var values = a.Values.ToArray();
        values[1] = new float[values[1].Length];
        Array.Fill(values[1], 2.5f);
        var constant = new LayerActivations(a.LayerNames.ToArray(), a.LayerShapes.ToArray(), values, a.Scores, a.Classes, null, a.ClassNames.ToArray());
        foreach (var measure in new[] { SimilarityMeasure.LinearCka, SimilarityMeasure.Svcca, SimilarityMeasure.PermutationMetric })
        {
            var error = Assert.Throws<DegenerateCkaException>(() => LayerSimilarity.Compute(constant, new SimilarityOptions { Measure = measure }));
            Assert.Contains("'b'", error.Message);
        }
    }

    [Fact]
    public void Too_Few_Inputs_For_K_Is_Refused_Before_Any_Pair()
    {
        var error = Assert.Throws<ArgumentException>(() => LayerSimilarity.Compute(Layers(n: 6), new SimilarityOptions { Measure = SimilarityMeasure.MutualKnn, K = 6 }));
        Assert.Contains("at least k + 1 = 7 inputs", error.Message);
    }
}

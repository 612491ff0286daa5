using MLNet.Subspace.Analysis;
using MLNet.Subspace.Numerics.Cka;
using MLNet.Subspace.Numerics.Similarity;
using MLNet.Subspace.Tests.Analysis;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.Numerics.Similarity;

/// <summary>The one entry point reaches each measure with its settings, and the layer matrix is built from it.</summary>
public class SimilarityOptionsTests
{
    private static (Tensor X, Tensor Y) Pair()
    {
        var rng = new Random(3);
        var x = tensor(Enumerable.Range(0, 40 * 6).Select(_ => rng.NextDouble() - 0.5).ToArray(), [40, 6], float64);
        var y = tensor(Enumerable.Range(0, 40 * 4).Select(_ => rng.NextDouble() - 0.5).ToArray(), [40, 4], float64);
        return (x, y);
    }

    public static TheoryData<SimilarityMeasure> Measures => new(Enum.GetValues<SimilarityMeasure>());

    [Theory]
    [MemberData(nameof(Measures))]
    public void Each_Measure_Is_The_Measure_Of_Its_Class_With_The_Settings_Given(SimilarityMeasure measure)
    {
        var (x, y) = Pair();
        var options = new SimilarityOptions { Measure = measure, Ridge = 0.5, Keep = 0.9, Alpha = 0.25, Distance = RdmDistance.Cosine, Comparison = RdmComparison.Pearson, K = 3 };
        double expected = measure switch
        {
            SimilarityMeasure.LinearCka => CkaMath.Compute(x, y),
            SimilarityMeasure.CcaR2 => Cca.MeanSquaredCorrelation(x, y, 0.5),
            SimilarityMeasure.CcaMean => Cca.MeanCorrelation(x, y, 0.5),
            SimilarityMeasure.Svcca => Svcca.MeanCorrelation(x, y, 0.9),
            SimilarityMeasure.Pwcca => Pwcca.Compute(x, y),
            SimilarityMeasure.Procrustes => Procrustes.Distance(x, y),
            SimilarityMeasure.ShapeMetric => ShapeMetric.AngularDistance(x, y, 0.25),
            SimilarityMeasure.Rsa => Rsa.Compute(x, y, RdmDistance.Cosine, RdmComparison.Pearson),
            SimilarityMeasure.MutualKnn => NearestNeighbourAlignment.MutualKnn(x, y, 3),
            SimilarityMeasure.CycleKnn => NearestNeighbourAlignment.CycleKnn(x, y, 3),
            SimilarityMeasure.Cknna => NearestNeighbourAlignment.Cknna(x, y, 3),
            SimilarityMeasure.PermutationMetric => PermutationMetric.AngularDistance(x, y),
            _ => throw new ArgumentOutOfRangeException(nameof(measure)),
        };

        Assert.Equal(expected, options.Compute(x, y));
        Assert.Equal(measure, SimilarityOptions.ParseMeasure(SimilarityOptions.MeasureName(measure)));
        Assert.StartsWith(SimilarityOptions.MeasureName(measure), options.Describe());
    }

    [Fact]
    public void Names_Are_Spelled_One_Way_And_A_Bad_Setting_Is_Named()
    {
        Assert.Equal("linear-cka, cca-r2, cca-mean, svcca, pwcca, procrustes, shape-metric, rsa, mutual-knn, cycle-knn, cknna, permutation-metric", SimilarityOptions.MeasureNames);
        Assert.Equal("rsa(distance=correlation, comparison=spearman)", new SimilarityOptions { Measure = SimilarityMeasure.Rsa }.Describe());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SimilarityOptions { Keep = 0 }.Validate());
        Assert.Contains("'Keep'", e.Message);
        Assert.Throws<ArgumentException>(() => SimilarityOptions.ParseMeasure("cka"));
    }

    [Fact]
    public void The_Layer_Matrix_Holds_The_Identity_On_Its_Diagonal_And_Every_Ordered_Pair_Of_An_Asymmetric_Measure()
    {
        var activations = AnalysisPipelineTests.Synthetic(seed: 2);

        var cka = LayerSimilarity.Compute(activations);
        var procrustes = LayerSimilarity.Compute(activations, new SimilarityOptions { Measure = SimilarityMeasure.Procrustes });
        var cycle = LayerSimilarity.Compute(activations, new SimilarityOptions { Measure = SimilarityMeasure.CycleKnn, K = 5 });

        Assert.Equal(["noise", "subspaces"], cka.Layers);
        Assert.Equal(1.0, cka.Values[0, 0], 12);
        Assert.Equal(cka.Values[0, 1], cka.Values[1, 0]);
        Assert.True(cka.Values[0, 1] < 0.9);
        Assert.Equal(0.0, procrustes.Values[1, 1], 9);
        Assert.False(procrustes.HigherIsMoreSimilar);
        Assert.Equal(NearestNeighbourAlignment.CycleKnn(Layer(activations, 1), Layer(activations, 0), 5), cycle.Values[1, 0]);
        Assert.Equal(NearestNeighbourAlignment.CycleKnn(Layer(activations, 0), Layer(activations, 1), 5), cycle.Values[0, 1]);
        Assert.Equal(3, cka.Table.Columns.Count); // layer + one column per layer
    }

    private static Tensor Layer(MLNet.Subspace.Models.Activations.LayerActivations a, int l) => tensor(a.Values[l], [a.Count, a.Size(l)]).to(ScalarType.Float64);
}

using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Subspace.ML;
using MLNet.Subspace.Models;
using MLNet.Subspace.Numerics.Synthetic;
using MLNet.Subspace.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.ML;

/// <summary>Every estimator of src/MLNet.Subspace/ML through the one conformance harness, one test per check.</summary>
[Collection(TorchGlobalRng.Name)]
public class EstimatorConformanceTests
{
    public static TheoryData<ConformanceCheck> Checks => new(Enum.GetValues<ConformanceCheck>());

    // ------------------------------------------------------------------ ActivationExtractor

    private const int Images = 10;
    private const int Classes = 5;
    private const string Layer = "features.1.conv";

    public sealed class ImageRow
    {
        [VectorType(3, 8, 8)]
        public float[] Features { get; set; } = [];
    }

    public sealed class ImagePrediction
    {
        public float[] Score { get; set; } = [];

        [KeyType(Classes)]
        public uint PredictedLabel { get; set; }

        [ColumnName(Layer)]
        public float[] Activations { get; set; } = [];
    }

    private static EstimatorConformance<ActivationExtractorTransformer, ImageRow, ImagePrediction> Extractor()
    {
        Seeding.Apply(4);
        var model = ModelZoo.Create("smallcnn-2-4", inputChannels: 3, imageSize: 8, classes: Classes);
        // Non-trivial batch-norm statistics, so eval mode is not the identity.
        model.train();
        using (no_grad()) model.call(torch.randn(16, 3, 8, 8) * 2 + 0.5).Dispose();
        model.eval();
        var rng = new Random(4);
        var pixels = Enumerable.Range(0, Images * 3 * 8 * 8).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var data = InMemoryDataView.Create(Images)
            .AddVector("Features", pixels, [3, 8, 8])
            .AddScalar("Id", Enumerable.Range(0, Images).ToArray())
            .Build();
        var ml = new MLContext(1);
        return new()
        {
            Context = ml,
            // Batches of 3 over 10 rows: a partial last batch, and batches unlike the PredictionEngine's batch of one.
            Estimator = () => ml.Transforms.ExtractActivations(model, batchSize: 3),
            Valid = data,
            InputColumn = "Features",
            SaveAndLoad = (t, path) =>
            {
                t.Save(path);
                return ActivationExtractorTransformer.Load(ml, path);
            },
            // One row through the network differs from the same row in a batch at float32 rounding (~1e-6; issue 11).
            RowTolerance = 1e-5,
        };
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public void ActivationExtractor_Conforms(ConformanceCheck check) => Extractor().Run(check);

    // ------------------------------------------------------------------ SscAffinity

    public sealed class FeatureRow
    {
        [VectorType(6)]
        public float[] Features { get; set; } = [];
    }

    public sealed class ClusterPrediction
    {
        [KeyType(3)]
        public uint PredictedLabel { get; set; }

        public float[] Score { get; set; } = [];

        public float[] AffinityShare { get; set; } = [];

        public int[] Neighbours { get; set; } = [];

        public float[] NeighbourWeights { get; set; } = [];
    }

    private static EstimatorConformance<SscAffinityTransformer, FeatureRow, ClusterPrediction> Ssc()
    {
        var (x, labels) = UnionOfSubspaces.Generate(ambient: 6, dimension: 2, subspaces: 3, perSubspace: 12, seed: 2);
        var data = InMemoryDataView.Create(x.Rows)
            .AddVector("Features", x.Values.Select(v => (float)v).ToArray(), [6])
            .AddKey("Label", labels, ["a", "b", "c"])
            .Build();
        var ml = new MLContext(1);
        return new()
        {
            Context = ml,
            Estimator = () => ml.Transforms.SscAffinity(new SscAffinityEstimator.Options { NumberOfClusters = 3, NumberOfNeighbours = 3 }),
            Valid = data,
            InputColumn = "Features",
            SaveAndLoad = (t, path) =>
            {
                t.Save(path);
                return SscAffinityTransformer.Load(ml, path);
            },
            // A row seen in Fit is recognised by its exact feature vector: the engine must give its fitted outputs exactly.
            RowTolerance = 0,
        };
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public void SscAffinity_Conforms(ConformanceCheck check) => Ssc().Run(check);
}

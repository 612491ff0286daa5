using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Subspace.ML;
using MLNet.Subspace.Models.Activations;

namespace MLNet.Subspace.Tests.ML;

/// <summary>The ONNX extractor (<c>ExtractActivations(onnxModelPath)</c> on the smallcnn-3-4 fixture) through the estimator conformance harness.</summary>
[Collection(TorchGlobalRng.Name)]
public class OnnxExtractorConformanceTests
{
    public static TheoryData<ConformanceCheck> Checks => new(Enum.GetValues<ConformanceCheck>());

    private const int Images = 10;
    private const string Layer = "/features.1/relu/Relu";

    public sealed class ImageRow
    {
        [VectorType(1, 4, 4)]
        public float[] Features { get; set; } = [];
    }

    public sealed class ImagePrediction
    {
        public float[] Score { get; set; } = [];

        [KeyType(3)]
        public uint PredictedLabel { get; set; }

        [ColumnName(Layer)]
        public float[] Activations { get; set; } = [];
    }

    private static EstimatorConformance<ActivationExtractorTransformer, ImageRow, ImagePrediction> Extractor()
    {
        var rng = new Random(4);
        var pixels = Enumerable.Range(0, Images * 16).Select(_ => (float)rng.NextDouble()).ToArray();
        // 1x4x4 rows into the 1x8x8 network: the resize path is part of every check.
        var data = InMemoryDataView.Create(Images)
            .AddVector("Features", pixels, [1, 4, 4])
            .AddScalar("Id", Enumerable.Range(0, Images).ToArray())
            .Build();
        var ml = new MLContext(1);
        return new()
        {
            Context = ml,
            // Batches of 3 over 10 rows: a partial last batch, and batches unlike the PredictionEngine's batch of one.
            Estimator = () => ml.Transforms.ExtractActivations(TestPaths.Fixture("onnx", "smallcnn-3-4.onnx"),
                new OnnxActivationOptions { OpTypes = ["Conv", "Relu"] }, new ActivationExtractorEstimator.Options { BatchSize = 3 }),
            Valid = data,
            InputColumn = "Features",
            SaveAndLoad = (t, path) =>
            {
                t.Save(path);
                return ActivationExtractorTransformer.Load(ml, path);
            },
            // ONNX Runtime may pick other kernels for a batch of one than for a batch of three (float32 rounding).
            RowTolerance = 1e-5,
        };
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public void OnnxExtractor_Conforms(ConformanceCheck check) => Extractor().Run(check);
}

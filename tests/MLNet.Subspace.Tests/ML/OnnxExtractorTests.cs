using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Subspace.ML;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Numerics.Ssc;

namespace MLNet.Subspace.Tests.ML;

/// <summary><c>ExtractActivations(onnxModelPath)</c> inside ML.NET pipelines, on the smallcnn-3-4 fixture of bench/onnx/make_fixture.py.</summary>
[Collection(TorchGlobalRng.Name)]
public class OnnxExtractorTests
{
    private static string Model => TestPaths.Fixture("onnx", "smallcnn-3-4.onnx");
    private const string Conv0 = "/features.0/conv/Conv";

    /// <summary>Inputs on three rays (1-D subspaces) a * p_k, a in [0.5, 1.5]: the first conv has no bias, so its outputs lie on three rays too.</summary>
    private static IDataView Rays(int perClass, int seed)
    {
        var rng = new Random(seed);
        var patterns = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 64).Select(_ => (float)rng.NextDouble()).ToArray()).ToArray();
        var pixels = new List<float>();
        var labels = new List<int>();
        for (int i = 0; i < 3 * perClass; i++)
        {
            int k = i % 3;
            float a = (float)(0.5 + rng.NextDouble());
            pixels.AddRange(patterns[k].Select(v => a * v));
            labels.Add(k);
        }
        return InMemoryDataView.Create(labels.Count).AddVector("Features", pixels.ToArray(), [1, 8, 8]).AddKey("Label", labels.ToArray(), ["a", "b", "c"]).Build();
    }

    [Fact]
    public void Ssc_Affinity_Over_An_Onnx_Layer_Recovers_The_Subspaces_And_MLNet_Evaluates_It()
    {
        var ml = new MLContext(1);
        var data = Rays(perClass: 12, seed: 3);
        var pipeline = ml.Transforms.ExtractActivations(Model, new OnnxActivationOptions { LayerNames = [Conv0] },
                new ActivationExtractorEstimator.Options { ScoreColumnName = "NetScore", PredictedLabelColumnName = "NetLabel", BatchSize = 8 })
            .Append(ml.Transforms.SscAffinity(new SscAffinityEstimator.Options
            {
                FeatureColumnName = Conv0,
                NumberOfClusters = 3,
                // ADMM, not the default OMP: on exact rays OMP stops after one atom (any same-ray sample fits exactly), so each
                // sample links to one other and a class's graph falls apart into pieces (docs/ssc.md, connectivity).
                Ssc = new SscOptions { Solver = SscSolver.Admm },
            }));
        using var fitted = pipeline.Fit(data); // the chain disposes the extractor's ONNX session
        var output = fitted.Transform(data);

        var metrics = ml.Clustering.Evaluate(output, labelColumnName: "Label", scoreColumnName: "Score");

        // Three exact rays: SSC separates them, so the clusters are the labels up to renaming.
        Assert.Equal(1.0, metrics.NormalizedMutualInformation, 9);
        var clusters = output.GetColumn<uint>("PredictedLabel").ToArray();
        var labels = output.GetColumn<uint>("Label").ToArray();
        Assert.Equal(3, clusters.Zip(labels).Distinct().Count());
        var column = output.Schema[Conv0];
        Assert.Equal([4, 8, 8], ((VectorDataViewType)column.Type).Dimensions.ToArray());
        VBuffer<int> shape = default;
        column.Annotations.GetValue("LayerShape", ref shape);
        Assert.Equal([4, 8, 8], shape.DenseValues().ToArray());
        ReadOnlyMemory<char> type = default;
        column.Annotations.GetValue("LayerType", ref type);
        Assert.Equal("Conv", type.ToString());
    }

    [Fact]
    public void Cka_Between_Onnx_And_TorchSharp_Columns_Of_The_Same_Layer_Is_One()
    {
        var ml = new MLContext(1);
        var data = Rays(perClass: 10, seed: 4);
        using var zoo = ModelZoo.Create("smallcnn-3-4", inputChannels: 1, imageSize: 8, classes: 3);
        ModelWeights.Load(zoo, TestPaths.Fixture("onnx", "smallcnn-3-4.pth"));
        var torchColumns = ml.Transforms.ExtractActivations(zoo).Fit(data).Transform(data);
        using var onnx = ml.Transforms.ExtractActivations(Model, null, new ActivationExtractorEstimator.Options { ScoreColumnName = null, PredictedLabelColumnName = null }).Fit(torchColumns);
        var both = onnx.Transform(torchColumns);
        Assert.Equal(3, onnx.LayerNames.Count);

        var cka = ml.Transforms.CkaComparer().Compare(both, "features.0.conv", "features.2.conv", onnx.LayerNames[0], onnx.LayerNames[2]);

        Assert.Equal(1.0, cka.Values[0, 2], 5);
        Assert.Equal(1.0, cka.Values[1, 3], 5);
        Assert.True(cka.Values[0, 3] < 0.9999, "different layers are not identical");
    }

    [Fact]
    public void A_Saved_Onnx_Extractor_Loads_Without_The_Onnx_File()
    {
        var ml = new MLContext(1);
        var data = Rays(perClass: 4, seed: 5);
        string copy = Path.Combine(Path.GetTempPath(), $"smallcnn-{Guid.NewGuid():N}.onnx"), saved = copy + ".extractor";
        File.Copy(Model, copy);
        try
        {
            float[][] before;
            using (var fitted = ml.Transforms.ExtractActivations(copy, new OnnxActivationOptions { OpTypes = ["Relu"], Pooling = ActivationPooling.GlobalAverage }).Fit(data))
            {
                before = fitted.Transform(data).GetColumn<float[]>(fitted.LayerNames[1]).ToArray();
                fitted.Save(saved);
            }
            File.Delete(copy);
            using var loaded = ActivationExtractorTransformer.Load(ml, saved);
            Assert.Null(loaded.Model);
            Assert.Equal(["Relu", "Relu", "Relu"], ((OnnxActivationSource)loaded.Source).Layers.Select(n => n.OpType));
            Assert.Equal([4], loaded.LayerShapes[1]);
            var after = loaded.Transform(data).GetColumn<float[]>(loaded.LayerNames[1]).ToArray();
            Assert.Equal(before, after);
            Assert.Contains("holds an ONNX model", Assert.Throws<ArgumentException>(() => ActivationExtractorTransformer.Load(ml, saved, ModelZoo.Create("smallcnn-3-4", 1, 8, 3))).Message);
        }
        finally
        {
            File.Delete(copy);
            File.Delete(saved);
        }
    }

    [Fact]
    public void Bad_Onnx_Input_Fails_Before_Any_Row_Is_Read()
    {
        var ml = new MLContext(1);
        var e = Assert.Throws<ArgumentException>(() => ml.Transforms.ExtractActivations(Model, new OnnxActivationOptions { LayerNames = ["conv9"] }));
        Assert.Contains("Unknown node 'conv9'", e.Message);
        Assert.Contains(Conv0, e.Message);
        Assert.Contains("apply to TorchSharp networks", Assert.Throws<ArgumentException>(
            () => ml.Transforms.ExtractActivations(Model, null, new ActivationExtractorEstimator.Options { LayerNames = ["x"] })).Message);
        Assert.Contains("pooling (for ONNX: OnnxActivationOptions)", Assert.Throws<ArgumentException>(
            () => ml.Transforms.ExtractActivations(Model, null, new ActivationExtractorEstimator.Options { Pooling = ActivationPooling.GlobalAverage })).Message);
        // A 3x8x8 column cannot feed a 1x8x8 network.
        var wrong = InMemoryDataView.Create(2).AddVector("Features", new float[2 * 192], [3, 8, 8]).Build();
        Assert.Contains("only one grey channel", Assert.Throws<ArgumentException>(() => ml.Transforms.ExtractActivations(Model).Fit(wrong)).Message);
        // A flat 100-value column: no shape to resize from, and the size does not match the model.
        var flat = InMemoryDataView.Create(2).AddVector("Features", new float[200], [100]).Build();
        Assert.Contains("column holds 100 values", Assert.Throws<ArgumentException>(() => ml.Transforms.ExtractActivations(Model).Fit(flat)).Message);
    }
}

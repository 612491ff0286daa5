using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Subspace.ML;
using MLNet.Subspace.Models;
using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Numerics.Synthetic;
using MLNet.Subspace.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.Subspace.Tests.ML;

/// <summary>SscAffinity behind ExtractActivations: a PredictionEngine recognises the probes the pipeline was fitted on.</summary>
[Collection(TorchGlobalRng.Name)]
public class SscAffinityPipelineTests
{
    private const int Images = 40;
    private const string Layer = "features.1.conv";

    public sealed class ImageRow
    {
        [VectorType(3, 8, 8)]
        public float[] Features { get; set; } = [];
    }

    public sealed class Prediction
    {
        [KeyType(3)]
        public uint PredictedLabel { get; set; }

        public float[] Score { get; set; } = [];

        public int[] Neighbours { get; set; } = [];

        [ColumnName(Layer)]
        public float[] Activations { get; set; } = [];
    }

    private static (MLContext Ml, IDataView Data, nn.Module<Tensor, Tensor> Model) Setup()
    {
        Seeding.Apply(5);
        var model = ModelZoo.Create("smallcnn-2-4", inputChannels: 3, imageSize: 8, classes: 5);
        model.eval();
        var rng = new Random(5);
        var pixels = Enumerable.Range(0, Images * 3 * 8 * 8).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var data = InMemoryDataView.Create(Images).AddVector("Features", pixels, [3, 8, 8]).Build();
        return (new MLContext(1), data, model);
    }

    private static IEstimator<ITransformer> Pipeline(MLContext ml, nn.Module<Tensor, Tensor> model, double tolerance)
        => ml.Transforms.ExtractActivations(model, layerNames: [Layer], batchSize: 16)
            .Append(ml.Transforms.SscAffinity(new SscAffinityEstimator.Options
            {
                FeatureColumnName = Layer,
                NumberOfClusters = 3,
                NumberOfNeighbours = 3,
                FittedRowTolerance = tolerance,
                Ssc = new SscOptions { Solver = SscSolver.Omp },
            }));

    [Fact]
    public void A_Prediction_Engine_Gives_A_Fitted_Probe_Its_Fitted_Outputs()
    {
        var (ml, data, model) = Setup();
        using var _ = model;
        var fitted = Pipeline(ml, model, SscAffinityEstimator.Defaults.FittedRowTolerance).Fit(data);
        var transformed = fitted.Transform(data);
        var clusters = transformed.GetColumn<uint>("PredictedLabel").ToArray();
        var scores = transformed.GetColumn<float[]>("Score").ToArray();
        var neighbours = transformed.GetColumn<int[]>("Neighbours").ToArray();
        var batchActivations = transformed.GetColumn<float[]>(Layer).ToArray();
        var rows = ml.Data.CreateEnumerable<ImageRow>(data, reuseRowObject: false).ToList();
        using var engine = ml.Model.CreatePredictionEngine<ImageRow, Prediction>(fitted);

        double largestDifference = 0;
        for (int r = 0; r < Images; r++)
        {
            var p = engine.Predict(rows[r]);
            largestDifference = Math.Max(largestDifference, p.Activations.Zip(batchActivations[r], (a, b) => Math.Abs((double)a - b)).Max());
            Assert.Equal(clusters[r], p.PredictedLabel);
            Assert.Equal(scores[r], p.Score);
            Assert.Equal(neighbours[r], p.Neighbours);
        }
        // The case the tolerance is for: one row alone through the network is not bit-identical to the same row in a batch.
        Assert.True(largestDifference > 0, "one row and the same row in a batch gave identical activations; the test no longer exercises the tolerance");
        Assert.True(largestDifference < 1e-5, $"activations of one row and of the same row in a batch differ by {largestDifference}");
    }

    [Fact]
    public void With_Zero_Tolerance_Only_Exact_Copies_Are_Fitted_Rows()
    {
        var (ml, data, model) = Setup();
        using var _ = model;
        var fitted = Pipeline(ml, model, 0).Fit(data);
        var neighbours = fitted.Transform(data).GetColumn<int[]>("Neighbours").ToArray();
        var rows = ml.Data.CreateEnumerable<ImageRow>(data, reuseRowObject: false).ToList();
        using var engine = ml.Model.CreatePredictionEngine<ImageRow, Prediction>(fitted);

        // Out-of-sample codes use other rows than the graph's neighbours for some probes: at least one differs.
        Assert.Contains(Enumerable.Range(0, Images), r => !engine.Predict(rows[r]).Neighbours.SequenceEqual(neighbours[r]));
    }

    private sealed class Row
    {
        [VectorType(6)]
        public float[] Features { get; set; } = [];
    }

    private sealed class RowPrediction
    {
        [KeyType(3)]
        public uint PredictedLabel { get; set; }

        public int[] Neighbours { get; set; } = [];
    }

    [Fact]
    public void A_Row_Within_The_Tolerance_Of_A_Fitted_Row_Is_That_Row_And_One_Beyond_It_Is_Not()
    {
        var ml = new MLContext(1);
        var (x, labels) = UnionOfSubspaces.Generate(ambient: 6, dimension: 2, subspaces: 3, perSubspace: 20, seed: 4);
        var values = x.Values.Select(v => (float)v).ToArray();
        var view = InMemoryDataView.Create(x.Rows).AddVector("Features", values, [6]).AddKey("Label", labels, ["a", "b", "c"]).Build();
        var model = ml.Transforms.SscAffinity(new SscAffinityEstimator.Options { NumberOfClusters = 3, NumberOfNeighbours = 3 }).Fit(view);
        var engine = ml.Model.CreatePredictionEngine<Row, RowPrediction>(model);
        var row = values.AsSpan(7 * 6, 6).ToArray();
        double norm = Math.Sqrt(row.Sum(v => (double)v * v));
        var expected = model.Graph.Neighbours(7).Take(3).Select(n => n.Node).ToArray();

        // A few float32 ulps on every value: about 3e-7 relative, well inside 1e-5.
        var close = row.Select(v => MathF.BitIncrement(MathF.BitIncrement(v))).ToArray();
        Assert.Equal(expected, engine.Predict(new Row { Features = close }).Neighbours);
        // 1e-3 of the norm along the first axis: beyond the tolerance, so coded out of sample over other rows (row 7 among them).
        var far = (float[])row.Clone();
        far[0] += (float)(1e-3 * norm);
        var outOfSample = engine.Predict(new Row { Features = far });
        Assert.NotEqual(expected, outOfSample.Neighbours);
        Assert.Equal((uint)model.ClusterLabels[7] + 1, outOfSample.PredictedLabel);
    }
}

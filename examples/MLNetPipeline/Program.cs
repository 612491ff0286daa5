// An ordinary ML.NET pipeline over a trained network:
//   probes (IDataView) -> ExtractActivations (one column per conv layer) -> SscAffinity on the last conv
//   layer -> ML.NET's own clustering metrics against the true classes.
// Run: dotnet run --project examples/MLNetPipeline [-- <Fashion-MNIST folder>]
using Microsoft.ML;
using MLNet.Subspace.Data;
using MLNet.Subspace.ML;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Training;
using MLNet.Subspace.Numerics.Ssc;

string folder = args.Length > 0 ? args[0] : IdxReader.DebianFashionMnistFolder;
var ml = new MLContext(seed: 1);

// 1. A network to look into: a small CNN trained briefly on 10 % of Fashion-MNIST.
var train = IdxReader.LoadFashionMnist(folder, train: true);
var test = IdxReader.LoadFashionMnist(folder, train: false);
using var model = ModelZoo.Create("smallcnn-4-16", inputChannels: 1, imageSize: 28, classes: 10);
var history = new Trainer(new TrainerOptions { Epochs = 1, TrainingFraction = 0.1, LearningRate = 0.05, Seed = 1 }).Train(model, train, test);
Console.WriteLine($"network test accuracy after 1 epoch: {history.Epochs[^1].TestAccuracy:P1}");

// 2. 30 class-balanced probes per class from the test split, as an IDataView.
var probes = test.Select(ProbeSampling.ClassBalanced(test.Labels, 10, 30, new Random(1))).ToDataView();

// 3. The pipeline: activations of every conv layer, then SSC on the last one.
var layers = LayerSelector.Select(model).Select(l => l.Name).ToArray();
var pipeline = ml.Transforms.ExtractActivations(model, new ActivationExtractorEstimator.Options
    {
        ScoreColumnName = "NetworkScore",
        PredictedLabelColumnName = "NetworkPrediction",
    })
    .Append(ml.Transforms.SscAffinity(new SscAffinityEstimator.Options
    {
        FeatureColumnName = layers[^1],
        NumberOfClusters = 10,
        Ssc = new SscOptions { Solver = SscSolver.Ensc, Seed = 1 },
    }));
var fitted = pipeline.Fit(probes);
var clustered = fitted.Transform(probes);

// 4. ML.NET's clustering metrics of the SSC clusters against the true classes.
var metrics = ml.Clustering.Evaluate(clustered, labelColumnName: "Label", scoreColumnName: "Score");
Console.WriteLine($"SSC on {layers[^1]} ({probes.GetRowCount()} probes): NMI {metrics.NormalizedMutualInformation:0.000}, "
    + $"average distance {metrics.AverageDistance:0.000}");

// An ordinary ML.NET pipeline over a trained network:
//   probes (IDataView) -> ExtractActivations (one column per conv layer) -> SscAffinity on the last conv
//   layer -> ML.NET's own clustering metrics against the true classes.
// Run: dotnet run --project examples/MLNetPipeline [-- <Fashion-MNIST folder>]
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Subspace.Data;
using MLNet.Subspace.ML;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Training;
using MLNet.Subspace.Numerics.Metrics;
using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Torch;
using ClusteringMetrics = MLNet.Subspace.Numerics.Metrics.ClusteringMetrics;

string folder = args.Length > 0 ? args[0] : IdxReader.DebianFashionMnistFolder;
var ml = new MLContext(seed: 1);

// 1. A network to look into: a small CNN trained briefly on 10 % of Fashion-MNIST.
var train = IdxReader.LoadFashionMnist(folder, train: true);
var test = IdxReader.LoadFashionMnist(folder, train: false);
using var model = Seeding.Initialize(1, () => ModelZoo.Create("smallcnn-4-16", inputChannels: 1, imageSize: 28, classes: 10)); // seeded initial weights
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

// 4. ML.NET's clustering metrics of the SSC clusters against the true classes. SscAffinity's Score is distance-like, as
//    ML.NET's clustering trainers write it (argmin = the cluster), so the evaluator reads the clusters SSC found.
var metrics = ml.Clustering.Evaluate(clustered, labelColumnName: "Label", scoreColumnName: "Score");
Console.WriteLine($"SSC on {layers[^1]} ({probes.GetRowCount()} probes): NMI {metrics.NormalizedMutualInformation:0.000}, "
    + $"average distance {metrics.AverageDistance:0.000} (mean share of a probe's affinity outside its cluster)");

// 5. The same clusters through the library's own metrics. ML.NET normalises NMI by the classes' entropy, the library's default
//    by the mean of both entropies (scikit-learn's); the library offers ML.NET's normalisation too, and the two must agree.
var truth = clustered.GetColumn<uint>("Label").Select(k => (int)k - 1).ToArray();
var found = clustered.GetColumn<uint>("PredictedLabel").Select(k => (int)k - 1).ToArray();
double libraryNmi = ClusteringMetrics.NormalizedMutualInformation(truth, found, NmiNormalization.TruthEntropy);
Console.WriteLine($"library NMI {libraryNmi:0.000} (I / H(class), ML.NET's normalisation; "
    + $"{ClusteringMetrics.NormalizedMutualInformation(truth, found):0.000} with the arithmetic mean), accuracy {ClusteringMetrics.Accuracy(truth, found):0.000}; "
    + $"ML.NET - library = {metrics.NormalizedMutualInformation - libraryNmi:0.0e+0}");
if (Math.Abs(metrics.NormalizedMutualInformation - libraryNmi) > 0.01)
{
    Console.Error.WriteLine($"error: ML.NET's NMI {metrics.NormalizedMutualInformation:0.0000} and the library's {libraryNmi:0.0000} differ by more than 0.01.");
    return 1;
}
return 0;

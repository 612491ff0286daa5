// Training dynamics: train with a snapshot per epoch, then compare every epoch's layer graphs with the
// final epoch's (SSC-CKA), and the raw activations likewise (linear CKA); print when each layer settles.
// Run: dotnet run --project examples/TrainingDynamics [-- <Fashion-MNIST folder> <snapshot folder>]
using Microsoft.ML;
using MLNet.Subspace.Analysis;
using MLNet.Subspace.Data;
using MLNet.Subspace.ML;
using MLNet.Subspace.Models;
using MLNet.Subspace.Models.Activations;
using MLNet.Subspace.Models.Training;
using MLNet.Subspace.Numerics.Ssc;
using MLNet.Subspace.Reporting;
using MLNet.Subspace.Torch;

string folder = args.Length > 0 ? args[0] : IdxReader.DebianFashionMnistFolder;
string snapshots = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "mlnet-subspace-dynamics");
var ml = new MLContext(seed: 3);
var train = IdxReader.LoadFashionMnist(folder, train: true);
var test = IdxReader.LoadFashionMnist(folder, train: false);

// Three epochs on 5 % of the training split; re-running resumes from the snapshots.
const int epochs = 3;
var options = new TrainerOptions { Epochs = epochs, TrainingFraction = 0.05, LearningRate = 0.05, Seed = 3, SnapshotFolder = snapshots };
using (var model = Seeding.Initialize(options.Seed, () => ModelZoo.Create("smallcnn-4-8", 1, 28, 10))) new Trainer(options).Train(model, train, test);

var probes = test.Select(ProbeSampling.ClassBalanced(test.Labels, 10, 20, new Random(3)));
var perEpoch = new List<EpochGraphs>();
for (int epoch = 1; epoch <= epochs; epoch++)
{
    using var model = ModelZoo.Create("smallcnn-4-8", 1, 28, 10);
    ModelWeights.Load(model, Path.Combine(snapshots, $"epoch-{epoch:D3}.pt"));
    model.eval();
    var activations = LayerActivations.Extract(model, probes);
    perEpoch.Add(new EpochGraphs(epoch, activations, LayerGraphs.BuildAll(activations, new SscOptions())));
}

var dynamics = TrainingDynamics.Run(perEpoch, threshold: 0.9);
Console.WriteLine(dynamics.PerEpoch.ToText());
Console.WriteLine(dynamics.Settling.ToText());

// Reporting through Microsoft.Data.Analysis DataFrames: per-layer modularity, the layer-by-layer
// SSC-CKA matrix and linear CKA of the raw activations, filtered, sorted and saved as CSV and HTML.
// Run: dotnet run --project examples/DataFrameReport [-- <Fashion-MNIST folder> <output folder>]
using Microsoft.Data.Analysis;
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
string output = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "mlnet-subspace-dataframes");
Directory.CreateDirectory(output);
var ml = new MLContext(seed: 2);

var train = IdxReader.LoadFashionMnist(folder, train: true);
var test = IdxReader.LoadFashionMnist(folder, train: false);
using var model = Seeding.Initialize(2, () => ModelZoo.Create("smallcnn-4-16", inputChannels: 1, imageSize: 28, classes: 10)); // seeded initial weights
new Trainer(new TrainerOptions { Epochs = 1, TrainingFraction = 0.1, LearningRate = 0.05, Seed = 2 }).Train(model, train);

var probes = test.Select(ProbeSampling.ClassBalanced(test.Labels, 10, 25, new Random(2)));
var activations = LayerActivations.Extract(model, probes);
var graphs = LayerGraphs.BuildAll(activations, new SscOptions());

// Per-layer metrics as a DataFrame: filter and sort like any other table.
DataFrame layers = LayerwiseAnalysis.Run(activations, graphs, seed: 2).Table;
DataFrame structured = layers.Filter(layers["modularity"].ElementwiseGreaterThan(0.0)).OrderByDescending("modularity");
Console.WriteLine(structured.ToText());

// SSC-CKA between the layers' graphs and linear CKA between their raw activations, both as DataFrames.
DataFrame sscCka = ml.Transforms.CkaComparer().Compare(graphs.Select(g => g.Layer).ToList(), graphs.Select(g => g.Graph.Weights).ToList()).Matrix;
DataFrame linearCka = ml.Transforms.CkaComparer().Compare(activations.ToDataView(), activations.LayerNames.ToArray()).Matrix;
Console.WriteLine(sscCka.ToText());

DataFrameIO.SaveCsv(layers, Path.Combine(output, "layers.csv"));
DataFrameIO.SaveCsv(sscCka, Path.Combine(output, "ssc_cka.csv"));
DataFrameIO.SaveCsv(linearCka, Path.Combine(output, "linear_cka.csv"));
new HtmlReport("DataFrame report")
    .Section("Layers").Table(layers, "Per-layer metrics")
    .Section("SSC-CKA").Table(sscCka, "SSC-CKA between layer graphs")
    .Section("Linear CKA").Table(linearCka, "Linear CKA between raw activations")
    .Save(Path.Combine(output, "dataframes.html"));
Console.WriteLine($"wrote layers.csv, ssc_cka.csv, linear_cka.csv and dataframes.html to {output}");

// Loads Fashion-MNIST as an ML.NET IDataView, takes a class-balanced probe batch and runs a
// torch forward pass on the configured device.
// Run: dotnet run --project examples/LoadFashionMnist [-- <folder with the IDX files>]
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Subspace.Data;
using MLNet.Subspace.ML;
using MLNet.Subspace.Models;
using MLNet.Subspace.Torch;
using TorchSharp;

string folder = args.Length > 0 ? args[0] : IdxReader.DebianFashionMnistFolder;
var ml = new MLContext(seed: 1);

// 1. As an IDataView: the image shape and class names travel in the schema.
IDataView test = ml.Data.LoadFashionMnist(folder);
var features = (VectorDataViewType)test.Schema["Features"].Type;
Console.WriteLine($"{test.GetRowCount()} rows; Features {features.ItemType}[{string.Join(",", features.Dimensions)}]; Label {test.Schema["Label"].Type}");

// 2. As arrays for torch: 20 probes per class, seeded.
ImageDataset images = IdxReader.LoadFashionMnist(folder);
var random = Seeding.Apply(1);
ImageDataset probes = images.Select(ProbeSampling.ClassBalanced(images.Labels, images.ClassNames.Count, 20, random));

var device = ml.GetTorchDevice();
using var model = new SmallCnn(inputChannels: 1, classes: 10);
model.to(device).eval();
using (torch.no_grad())
{
    using var input = torch.tensor(probes.Pixels, [probes.Count, 1, 28, 28]).to(device);
    using var logits = model.call(input);
    Console.WriteLine($"logits {string.Join("x", logits.shape)} on {device}");
}
